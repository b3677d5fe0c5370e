package io.kubewizard.pki;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubewizard certs --live} shows: every certificate read on the nodes (their PEM, never
 * a key), with subject, issuer, expiry and days left. A leaf or CA under {@value #WARN_DAYS} days is
 * a warning (RKE2 rotates at 120 days), under {@value #ERROR_DAYS} days (or expired) an error. CAs
 * are listed and judged like the rest; renewal leaves them alone.
 */
public final class LiveCerts {
    public static final int WARN_DAYS = 120;
    public static final int ERROR_DAYS = 30;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private LiveCerts() {}

    /** One certificate as read on a node: where, what kind of file (pki, kubeconfig, kubelet), its PEM. */
    public record Input(String host, String path, String kind, String pem) {}

    public enum Status {
        OK, WARNING, ERROR;

        public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** One certificate judged. {@code problem} is set (and the rest empty) when its PEM does not parse. */
    public record Row(String host, String path, String kind, String subject, String issuer, boolean ca, Instant notAfter,
                      long daysLeft, Status status, String problem) {}

    public static Status status(long daysLeft) {
        return daysLeft < ERROR_DAYS ? Status.ERROR : daysLeft < WARN_DAYS ? Status.WARNING : Status.OK;
    }

    /** Judged at {@code now}, in the order given (hosts as the answers list them, files as each node listed them). */
    public static List<Row> rows(List<Input> inputs, Instant now) {
        List<Row> out = new ArrayList<>();
        for (Input in : inputs) {
            X509CertificateHolder cert;
            try {
                cert = Certs.parse(in.pem());
            } catch (IllegalArgumentException e) {
                out.add(new Row(in.host(), in.path(), in.kind(), "", "", false, null, 0, Status.ERROR, "cannot be read: " + e.getMessage()));
                continue;
            }
            Instant notAfter = cert.getNotAfter().toInstant();
            // whole days left, rounded down; an expired one counts below zero
            long days = Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400L);
            BasicConstraints bc = BasicConstraints.fromExtensions(cert.getExtensions());
            boolean ca = bc != null ? bc.isCA() : cert.getSubject().equals(cert.getIssuer());
            out.add(new Row(in.host(), in.path(), in.kind(), Certs.describe(cert.getSubject()), Certs.describe(cert.getIssuer()),
                    ca, notAfter, days, status(days), null));
        }
        return out;
    }

    /** The row that expires first; null when none could be read. */
    public static Row earliest(List<Row> rows) {
        return rows.stream().filter(r -> r.notAfter() != null).min(Comparator.comparing(Row::notAfter)).orElse(null);
    }

    public static String text(String cluster, List<Row> rows, Map<String, String> unreadable, Instant now) {
        StringBuilder sb = new StringBuilder("Certificates on the nodes of cluster ").append(cluster).append(", at ")
                .append(TIME.format(now)).append('\n');
        int wHost = "HOST".length();
        int wPath = "CERTIFICATE".length();
        int wSubject = "SUBJECT".length();
        for (Row r : rows) {
            wHost = Math.max(wHost, r.host().length());
            wPath = Math.max(wPath, r.path().length() + (r.ca() ? 5 : 0));
            wSubject = Math.max(wSubject, Math.min(48, r.subject().length()));
        }
        String format = "%-" + wHost + "s  %-" + wPath + "s  %-" + wSubject + "s  %-20s  %5s  %s%n";
        sb.append(String.format(format, "HOST", "CERTIFICATE", "SUBJECT", "EXPIRES", "DAYS", "STATUS"));
        for (Row r : rows) {
            if (r.problem() != null) {
                sb.append(String.format(format, r.host(), r.path(), "", "", "", "error: " + r.problem()));
                continue;
            }
            String subject = r.subject().length() > 48 ? r.subject().substring(0, 47) + "…" : r.subject();
            sb.append(String.format(format, r.host(), r.path() + (r.ca() ? " (CA)" : ""), subject, TIME.format(r.notAfter()),
                    r.daysLeft(), r.status().label()));
        }
        for (Map.Entry<String, String> u : unreadable.entrySet()) {
            sb.append(String.format(format, u.getKey(), "(not read)", "", "", "", "error: " + u.getValue()));
        }
        long warnings = rows.stream().filter(r -> r.status() == Status.WARNING).count();
        long errors = rows.stream().filter(r -> r.status() == Status.ERROR).count() + unreadable.size();
        Row first = earliest(rows);
        sb.append('\n').append(rows.size()).append(rows.size() == 1 ? " certificate" : " certificates");
        if (first != null) {
            sb.append("; the first to expire is ").append(first.path()).append(" on ").append(first.host()).append(", ")
                    .append(TIME.format(first.notAfter())).append(" (").append(first.daysLeft()).append(" days)");
        }
        sb.append(". ").append(errors).append(errors == 1 ? " error" : " errors").append(" (under ").append(ERROR_DAYS)
                .append(" days or unreadable), ").append(warnings).append(warnings == 1 ? " warning" : " warnings")
                .append(" (under ").append(WARN_DAYS).append(" days).\n");
        if (errors > 0 || warnings > 0) sb.append("Renew the leaves with: kubewizard certs renew -f FILE (CAs are not renewed).\n");
        return sb.toString();
    }

    /** The same as {@link #text}, as one JSON object for monitoring scripts. */
    public static Map<String, Object> json(String cluster, List<Row> rows, Map<String, String> unreadable, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", cluster);
        out.put("checkedAt", now.toString());
        out.put("warnDays", WARN_DAYS);
        out.put("errorDays", ERROR_DAYS);
        List<Object> certs = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("host", r.host());
            c.put("path", r.path());
            c.put("kind", r.kind());
            if (r.problem() != null) {
                c.put("status", Status.ERROR.label());
                c.put("problem", r.problem());
            } else {
                c.put("subject", r.subject());
                c.put("issuer", r.issuer());
                c.put("ca", r.ca());
                c.put("notAfter", r.notAfter().toString());
                c.put("daysLeft", r.daysLeft());
                c.put("status", r.status().label());
            }
            certs.add(c);
        }
        out.put("certificates", certs);
        Map<String, Object> hosts = new LinkedHashMap<>(unreadable);
        out.put("unreadable", hosts);
        Row first = earliest(rows);
        if (first != null) {
            out.put("earliest", Map.of("host", first.host(), "path", first.path(), "notAfter", first.notAfter().toString(),
                    "daysLeft", first.daysLeft()));
        }
        return out;
    }
}
