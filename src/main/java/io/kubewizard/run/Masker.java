package io.kubewizard.run;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces every secret value in text a person or a file will see (events, logs, journal,
 * messages, dry runs). Secrets are added as they become known: the run's token and certificate
 * key at start, a password when someone types it. The mask has a fixed length so it does not tell
 * how long the secret was.
 */
public final class Masker {
    public static final String MASK = "********";

    private final List<String> secrets = new CopyOnWriteArrayList<>();

    public void add(String secret) {
        if (secret == null || secret.isEmpty() || secrets.contains(secret)) return;
        synchronized (this) {
            secrets.add(secret);
            // Longest first, so a token is masked whole before its secret part is looked for.
            secrets.sort(Comparator.comparingInt(String::length).reversed());
        }
    }

    public String mask(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }

    /** The prompter, with every secret typed into it masked from then on. */
    public TransportFactory.Prompter watching(TransportFactory.Prompter prompter) {
        return new TransportFactory.Prompter() {
            public char[] secret(String question) {
                char[] answer = prompter.secret(question);
                if (answer != null) add(new String(answer));
                return answer;
            }

            public boolean confirm(String question) { return prompter.confirm(question); }

            public char[] secret(Question question) {
                char[] answer = prompter.secret(question);
                if (answer != null) add(new String(answer));
                return answer;
            }

            public boolean confirm(Question question) { return prompter.confirm(question); }
        };
    }
}
