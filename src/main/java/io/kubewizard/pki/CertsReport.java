package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import org.bouncycastle.cert.X509CertificateHolder;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code kubewizard certs -f FILE} prints: every certificate of the run's stored PKI, those
 * embedded in kubeconfigs included, with subject, SANs, issuer and expiry; a WARNING on each one
 * that expires within {@value #WARN_DAYS} days (or has expired).
 */
public final class CertsReport {
    private CertsReport() {}

    public static final int WARN_DAYS = 30;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public static String text(ClusterSpec spec, PkiStore store, Instant now) throws PkiException {
        String cluster = spec.cluster().name();
        List<PkiStore.Entry> entries = entries(spec, store);
        if (entries.isEmpty()) return none(spec, store) + "\n";

        StringBuilder sb = new StringBuilder();
        sb.append("Certificates of cluster ").append(cluster).append(" in ").append(store.dir())
                .append(", at ").append(TIME.format(now)).append('\n');
        int count = 0;
        int warned = 0;
        for (PkiStore.Entry e : entries) {
            sb.append('\n').append(e.host() == null ? "cluster" : e.host()).append("  /etc/kubernetes/").append(e.path());
            boolean kubeconfig = e.path().endsWith(".conf");
            if (kubeconfig) sb.append(" (client certificate)");
            sb.append('\n');
            X509CertificateHolder cert;
            try {
                String text = store.read(e.host(), e.path());
                cert = Certs.parse(kubeconfig ? Kubeconfig.parse(text).certPem() : text);
            } catch (IllegalArgumentException ex) {
                sb.append("  cannot be read: ").append(ex.getMessage()).append('\n');
                continue;
            }
            count++;
            sb.append("  subject  ").append(Certs.describe(cert.getSubject())).append('\n');
            sb.append("  SANs     ").append(Certs.describeAltNames(cert)).append('\n');
            sb.append("  issuer   ").append(Certs.describe(cert.getIssuer())).append('\n');
            Instant notAfter = cert.getNotAfter().toInstant();
            sb.append("  expires  ").append(TIME.format(notAfter)).append(", ");
            if (notAfter.isAfter(now)) {
                long days = Duration.between(now, notAfter).toDays();
                sb.append(days).append(days == 1 ? " day left" : " days left");
                if (days < WARN_DAYS) {
                    sb.append("  WARNING: expires within ").append(WARN_DAYS).append(" days");
                    warned++;
                }
            } else {
                long days = Duration.between(notAfter, now).toDays();
                sb.append("expired ").append(days).append(days == 1 ? " day ago" : " days ago").append("  WARNING: expired");
                warned++;
            }
            sb.append('\n');
        }
        sb.append('\n').append(count).append(count == 1 ? " certificate; " : " certificates; ");
        sb.append(warned == 0 ? "none expires within " + WARN_DAYS + " days.\n"
                : warned + (warned == 1 ? " needs" : " need") + " renewing within " + WARN_DAYS + " days (marked WARNING).\n");
        return sb.toString();
    }

    /** Why there is nothing to list: kubeadm keeps the certificates, or no apply has made them yet. */
    private static String none(ClusterSpec spec, PkiStore store) {
        String cluster = spec.cluster().name();
        if (Catalogue.of(spec).isEmpty()) {
            return "Cluster " + cluster + ": pki.generatedBy is kubeadm, so its certificates are made and kept on the control planes;\n"
                    + "run 'kubeadm certs check-expiration' there to list them.";
        }
        return "No certificates stored yet for cluster " + cluster + " in " + store.dir() + ": apply generates them.";
    }

    /** The stored certificates and kubeconfigs: the cluster's own first, then per host in file order. */
    private static List<PkiStore.Entry> entries(ClusterSpec spec, PkiStore store) throws PkiException {
        List<PkiStore.Entry> entries = new ArrayList<>(store.list().stream()
                .filter(e -> e.path().endsWith(".crt") || e.path().endsWith(".conf")).toList());
        Map<String, Integer> hostOrder = new HashMap<>();
        for (Host h : spec.hosts()) hostOrder.put(h.name(), hostOrder.size());
        entries.sort(Comparator.comparingInt((PkiStore.Entry e) -> e.host() == null ? -1 : hostOrder.getOrDefault(e.host(), hostOrder.size()))
                .thenComparing(e -> e.host() == null ? "" : e.host()));
        return entries;
    }

    /**
     * {@code certs --format json} (docs/json-output.md): what {@link #text} lists, with the key names of
     * {@code certs --live --format json} (LiveCerts#json) where they mean the same. {@code note} says why
     * the list is empty, when it is.
     */
    public static Map<String, Object> json(ClusterSpec spec, PkiStore store, Instant now) throws PkiException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster", spec.cluster().name());
        out.put("source", "store");
        out.put("store", store.dir().toString());
        out.put("checkedAt", now.toString());
        out.put("warnDays", WARN_DAYS);
        List<PkiStore.Entry> entries = entries(spec, store);
        List<Object> certs = new ArrayList<>();
        for (PkiStore.Entry e : entries) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("host", e.host());
            c.put("path", "/etc/kubernetes/" + e.path());
            boolean kubeconfig = e.path().endsWith(".conf");
            c.put("kind", kubeconfig ? "kubeconfig" : "certificate");
            X509CertificateHolder cert;
            try {
                String text = store.read(e.host(), e.path());
                cert = Certs.parse(kubeconfig ? Kubeconfig.parse(text).certPem() : text);
            } catch (IllegalArgumentException ex) {
                c.put("status", "error");
                c.put("problem", "cannot be read: " + ex.getMessage());
                certs.add(c);
                continue;
            }
            Instant notAfter = cert.getNotAfter().toInstant();
            long days = notAfter.isAfter(now) ? Duration.between(now, notAfter).toDays() : -Duration.between(notAfter, now).toDays();
            c.put("subject", Certs.describe(cert.getSubject()));
            c.put("sans", Certs.describeAltNames(cert));
            c.put("issuer", Certs.describe(cert.getIssuer()));
            c.put("notAfter", notAfter.toString());
            c.put("daysLeft", days);
            c.put("status", notAfter.isAfter(now) && days >= WARN_DAYS ? "ok" : "warning");
            certs.add(c);
        }
        out.put("certificates", certs);
        out.put("note", entries.isEmpty() ? none(spec, store).replace("\n", " ") : null);
        return out;
    }
}
