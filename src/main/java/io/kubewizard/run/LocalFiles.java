package io.kubewizard.run;

import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every jump-host file a plan sends (a bundle's packages and images, a mirror's key or CA, a backup),
 * hashed once before the run starts: a file that is not the one the plan was made with stops the run
 * before anything is uploaded to any host. The run checks each one again as it sends it
 * ({@link SecretFiles}), which covers a file changed while the run goes on.
 */
final class LocalFiles {
    private LocalFiles() {}

    /** One line per file that is missing or differs ("PATH: sha256 X, the plan's Y"), in plan order. */
    static List<String> changed(Plan plan) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (Step s : plan.steps()) {
            for (RenderedFile f : s.uploads()) {
                if (f.localPath() != null) wanted.putIfAbsent(f.localPath(), f.localSha256());
            }
        }
        List<String> out = new ArrayList<>();
        for (var e : wanted.entrySet()) {
            Path p = Path.of(e.getKey());
            try {
                String got = sha256(p);
                if (!got.equals(e.getValue())) out.add(p + ": sha256 " + got + ", the plan's " + e.getValue());
            } catch (IOException x) {
                out.add(p + ": cannot be read (" + x.getClass().getSimpleName() + ": " + x.getMessage() + ")");
            }
        }
        return out;
    }

    static String sha256(Path p) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
