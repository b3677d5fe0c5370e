package io.kubewizard.ssh;

import io.kubewizard.run.Question;
import io.kubewizard.run.TransportFactory.Prompter;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Private key files (OpenSSH or PEM; ed25519, ECDSA, RSA), read once per run and shared by every
 * host. An encrypted key is unlocked only when the keys that need no passphrase did not get in,
 * and its passphrase is asked once for all hosts (three tries, as ssh-add).
 */
final class IdentityFiles {

    static final int PASSPHRASE_TRIES = 3;

    sealed interface State permits Keys, Encrypted, Missing, Unusable, Declined {}

    record Keys(List<KeyPair> pairs) implements State {
        Keys {
            pairs = List.copyOf(pairs);
        }
    }

    /** Needs a passphrase not yet asked for. */
    record Encrypted() implements State {}

    record Missing() implements State {}

    record Unusable(String reason) implements State {}

    /** The passphrase was not given. */
    record Declined() implements State {}

    private final Prompter prompter;
    private final Map<Path, State> states = new ConcurrentHashMap<>();
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    IdentityFiles(Prompter prompter) {
        this.prompter = prompter;
    }

    /** The file's keys if they need no passphrase (or it was given before); never asks. */
    State peek(Path file) {
        return states.computeIfAbsent(file, f -> load(f, null));
    }

    /** Asks for the passphrase of an {@link Encrypted} file (once per run); other states are returned as they are. */
    State unlock(Path file) {
        synchronized (locks.computeIfAbsent(file, f -> new Object())) {
            State now = peek(file);
            if (!(now instanceof Encrypted)) return now;
            State unlocked = load(file, prompter);
            states.put(file, unlocked);
            return unlocked;
        }
    }

    /** How a file's state reads in an authentication failure. */
    static String describe(Path file, State state) {
        if (state instanceof Encrypted) return file + " (encrypted, not unlocked)";
        if (state instanceof Missing) return file + " (not found)";
        if (state instanceof Unusable u) return file + " (" + u.reason() + ")";
        if (state instanceof Declined) return file + " (no passphrase given)";
        return file.toString();
    }

    private static State load(Path file, Prompter asker) {
        if (!Files.isRegularFile(file)) return new Missing();
        Passphrases passphrases = new Passphrases(file, asker);
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> pairs = new ArrayList<>();
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, passphrases);
            if (loaded != null) loaded.forEach(pairs::add);
            if (!pairs.isEmpty()) return new Keys(pairs);
            return new Unusable("not a private key");
        } catch (IOException | java.security.GeneralSecurityException | RuntimeException e) {
            if (passphrases.declined) return new Declined();
            if (passphrases.asked && asker == null) return new Encrypted();
            if (passphrases.asked) return new Unusable("wrong passphrase");
            return new Unusable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** Supplies passphrases: with no prompter it only notes that one was needed. */
    private static final class Passphrases implements FilePasswordProvider {
        private final Path file;
        private final Prompter asker;
        boolean asked;
        boolean declined;

        Passphrases(Path file, Prompter asker) {
            this.file = file;
            this.asker = asker;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resource, int retryIndex) {
            asked = true;
            if (asker == null) return null;
            char[] secret = asker.secret(Question.of(retryIndex > 0 ? "ssh.passphrase.retry" : "ssh.passphrase", file));
            if (secret == null) {
                declined = true;
                return null;
            }
            String passphrase = new String(secret);
            Arrays.fill(secret, '\0');
            return passphrase;
        }

        @Override
        public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resource, int retryIndex,
                                                              String password, Exception err) {
            if (err == null || asker == null || declined) return ResourceDecodeResult.TERMINATE;
            return retryIndex + 1 < PASSPHRASE_TRIES ? ResourceDecodeResult.RETRY : ResourceDecodeResult.TERMINATE;
        }
    }
}
