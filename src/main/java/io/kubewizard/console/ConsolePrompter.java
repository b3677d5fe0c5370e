package io.kubewizard.console;

import io.kubewizard.run.TransportFactory;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

import java.util.Locale;

/**
 * Questions on the terminal: secrets are read without echo, yes/no defaults to no. Live progress
 * is cleared while a question is open, so the two never draw over each other; questions from
 * several connections are asked one at a time.
 */
final class ConsolePrompter implements TransportFactory.Prompter {
    private final LineReader reader;
    private final LiveProgress live;

    /** @param live the progress to clear while asking, or null */
    ConsolePrompter(Terminal terminal, LiveProgress live) {
        this.reader = LineReaderBuilder.builder().terminal(terminal).build();
        this.live = live;
    }

    @Override
    public synchronized char[] secret(String question) {
        String answer = ask(question + " ", LineReaderImpl.NULL_MASK);
        return answer == null ? null : answer.toCharArray();
    }

    @Override
    public synchronized boolean confirm(String question) {
        String answer = ask(question + " [y/N] ", null);
        return answer != null && switch (answer.strip().toLowerCase(Locale.ROOT)) {
            case "y", "yes" -> true;
            default -> false;
        };
    }

    /** The line typed, or null when the user pressed Ctrl-C or Ctrl-D: a declined question. */
    private String ask(String prompt, Character mask) {
        if (live != null) live.suspend();
        try {
            return reader.readLine(prompt, mask);
        } catch (UserInterruptException | EndOfFileException declined) {
            return null;
        } finally {
            if (live != null) live.resume();
        }
    }
}
