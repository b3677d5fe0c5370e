package io.kubewizard.run;

import io.kubewizard.plan.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <run dir>/users.ndjson} (0600): one JSON line per user {@code kubewizard user add} issued,
 * oldest first: who, in which groups, bound to what, until when. No certificate and no key: the
 * kubeconfig went to the person's file only.
 */
public final class Users {
    public static final String FILE = "users.ndjson";

    private Users() {}

    /**
     * @param binding "clusterrole view", "role edit in team-a", or "" for none
     * @param pki     who signed it: "kubewizard" or "kubeadm"
     */
    public record Issued(String name, List<String> groups, String binding, Instant notBefore, Instant notAfter, String pki) {
        public Issued {
            groups = List.copyOf(groups);
        }
    }

    /** Adds one line; the file is written whole again, 0600, through a temporary file. */
    public static void record(Path runDir, Issued user) throws IOException {
        Path file = runDir.resolve(FILE);
        String before = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("name", user.name());
        line.put("groups", new ArrayList<>(user.groups()));
        line.put("binding", user.binding());
        line.put("notBefore", user.notBefore().toString());
        line.put("notAfter", user.notAfter().toString());
        line.put("pki", user.pki());
        RunSecrets.writePrivate(file, before + Json.write(line) + "\n");
    }

    /** Every user recorded, oldest first; none when the file does not exist. IOException names the bad line. */
    public static List<Issued> list(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<Issued> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            try {
                Map<?, ?> m = (Map<?, ?>) Json.parse(lines.get(i));
                List<String> groups = new ArrayList<>();
                for (Object g : (List<?>) m.get("groups")) groups.add((String) g);
                out.add(new Issued((String) m.get("name"), groups, (String) m.get("binding"),
                        Instant.parse((String) m.get("notBefore")), Instant.parse((String) m.get("notAfter")), (String) m.get("pki")));
            } catch (RuntimeException e) {
                throw new IOException(file + " line " + (i + 1) + " is not a user record: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
