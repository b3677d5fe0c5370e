package io.kubewizard.run;

import io.kubewizard.pki.LiveCerts;
import io.kubewizard.plan.Json;
import io.kubewizard.plan.NodeCertificates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <run dir>/certificates.json}: the earliest certificate expiry a run read on the control
 * planes and etcd hosts (its verify phase), kept so that later runs warn while there is still time
 * to renew: apply, upgrade and preflight print a warning when it is under {@link LiveCerts#WARN_DAYS}.
 */
public final class ExpiryRecord {
    public static final String FILE = "certificates.json";

    private ExpiryRecord() {}

    /**
     * What {@link NodeCertificates} readings learnt, as certificates to judge: hosts in the order
     * given (the others after them), files as each node listed them.
     */
    public static List<LiveCerts.Input> inputs(Map<String, Map<String, Object>> learnt, List<String> hostOrder) {
        List<String> hosts = new ArrayList<>(hostOrder.stream().filter(learnt::containsKey).toList());
        learnt.keySet().stream().filter(h -> !hosts.contains(h)).sorted().forEach(hosts::add);
        List<LiveCerts.Input> inputs = new ArrayList<>();
        for (String host : hosts) {
            if (learnt.get(host).get("certificates") instanceof List<?> found) {
                for (Object o : found) {
                    NodeCertificates.Found f = (NodeCertificates.Found) o;
                    inputs.add(new LiveCerts.Input(host, f.path(), f.kind().name().toLowerCase(java.util.Locale.ROOT), f.pem()));
                }
            }
        }
        return inputs;
    }

    /** Writes the record from what a run's steps read; nothing when none read a certificate. */
    static void save(RunDirectory dir, Map<String, Map<String, Object>> learnt, Instant now) throws IOException {
        List<LiveCerts.Input> inputs = inputs(learnt, List.of());
        if (inputs.isEmpty()) return;
        LiveCerts.Row first = LiveCerts.earliest(LiveCerts.rows(inputs, now));
        if (first == null) return;
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("checkedAt", now.toString());
        record.put("certificates", inputs.size());
        record.put("earliest", Map.of("host", first.host(), "path", first.path(), "notAfter", first.notAfter().toString()));
        RunSecrets.writePrivate(dir.path().resolve(FILE), Json.write(record) + "\n");
    }

    /** The warning to print now about the recorded earliest expiry; null when there is none or it is far. */
    @SuppressWarnings("unchecked")
    public static String warning(RunDirectory dir, Instant now) {
        Path file = dir.path().resolve(FILE);
        if (!Files.isRegularFile(file)) return null;
        try {
            Map<String, Object> record = (Map<String, Object>) Json.parse(Files.readString(file));
            Map<String, Object> first = (Map<String, Object>) record.get("earliest");
            Instant notAfter = Instant.parse((String) first.get("notAfter"));
            long days = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
            if (days >= LiveCerts.WARN_DAYS) return null;
            String when = days < 0 ? "expired " + (-days) + " days ago" : "expires in " + days + (days == 1 ? " day" : " days");
            return "the certificate " + first.get("path") + " on " + first.get("host") + " " + when + " (" + notAfter
                    + ", as read on " + record.get("checkedAt") + "): renew it with kubewizard certs renew, and see "
                    + "kubewizard certs --live";
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
