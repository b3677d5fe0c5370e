package io.kubewizard.run;

import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSecretsTest {
    @TempDir Path tmp;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void madeOnceInAPrivateDirectoryAndReusedAfterwards() throws Exception {
        RunSecrets first = RunSecrets.ensure(tmp, new SecureRandom());
        assertTrue(first.bootstrapToken().matches("[a-z0-9]{6}\\.[a-z0-9]{16}"), first.bootstrapToken());
        assertTrue(first.certificateKey().matches("[0-9a-f]{64}"), first.certificateKey());
        Path dir = tmp.resolve("secrets");
        assertEquals("rwx------", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("bootstrap-token")));
        assertEquals("rw-------", mode(dir.resolve("certificate-key")));
        assertEquals(first.bootstrapToken() + "\n", Files.readString(dir.resolve("bootstrap-token")));
        RunSecrets again = RunSecrets.ensure(tmp, new SecureRandom());
        assertEquals(first.bootstrapToken(), again.bootstrapToken());
        assertEquals(first.certificateKey(), again.certificateKey());
        assertEquals(new Secrets(first.bootstrapToken(), first.certificateKey(), "sha256:x"), again.with("sha256:x"));
        assertEquals("RunSecrets[masked]", again.toString());
    }

    @Test
    void eachClusterGetsItsOwnRandomValues() throws Exception {
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < 20; i++) tokens.add(RunSecrets.ensure(tmp.resolve("c" + i), new SecureRandom()).bootstrapToken());
        assertEquals(20, tokens.size());
    }

    @Test
    void aMalformedStoredValueIsRefusedNotReplaced() throws Exception {
        Files.createDirectories(tmp.resolve("secrets"));
        Path token = Files.writeString(tmp.resolve("secrets/bootstrap-token"), "ABCDEF.0123456789abcdef\n");
        IOException e = assertThrows(IOException.class, () -> RunSecrets.ensure(tmp, new SecureRandom()));
        assertEquals(token + " does not hold a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}): fix it, or remove it to have "
                + "a new one made (only before the cluster exists: its nodes use the stored one)", e.getMessage());
        assertEquals("ABCDEF.0123456789abcdef\n", Files.readString(token));
        assertEquals("rwx------", mode(tmp.resolve("secrets")), "an existing directory is made private too");
    }

    @Test
    void theMaskerHidesTheTokenItsSecretHalfAndTheKey() throws Exception {
        RunSecrets s = RunSecrets.ensure(tmp, new SecureRandom());
        Masker m = new Masker();
        s.maskIn(m);
        String secretHalf = s.bootstrapToken().substring(7);
        assertEquals("--token ******** and ******** key ******** id " + s.bootstrapToken().substring(0, 6),
                m.mask("--token " + s.bootstrapToken() + " and " + secretHalf + " key " + s.certificateKey() + " id "
                        + s.bootstrapToken().substring(0, 6)));
        assertNotEquals(s.bootstrapToken(), m.mask(s.bootstrapToken()));
    }
}
