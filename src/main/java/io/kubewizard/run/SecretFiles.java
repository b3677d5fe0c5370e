package io.kubewizard.run;

import io.kubewizard.pki.CaCertHash;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The plan holds files rendered with {@link Secrets#MASKED}, so whatever shows a plan shows no
 * secret; this renders them again with the run's real secrets when, and only when, one is
 * uploaded. The CA certificate hash a join pins is known up front when kubewizard made the PKI;
 * otherwise kubeadm made the CA during init, and it is read from the first control plane the
 * first time a file needs it.
 */
public final class SecretFiles implements Executor.Uploads {
    /** Where kubeadm init leaves the cluster CA on the first control plane. */
    static final String CA_CERT = "/etc/kubernetes/pki/ca.crt";

    private final Function<Secrets, List<RenderedFile>> render;
    private final RunSecrets secrets;
    private final String firstControlPlane;
    private String caCertHash;
    private Secrets renderedWith;
    private Map<String, RenderedFile> rendered;

    /**
     * @param render            the same rendering the plan was made from, for other secrets
     * @param caCertHash        the hash of the CA kubewizard generated; null when kubeadm makes it
     * @param firstControlPlane the host kubeadm init runs on
     */
    public SecretFiles(Function<Secrets, List<RenderedFile>> render, RunSecrets secrets, String caCertHash,
                       String firstControlPlane) {
        this.render = render;
        this.secrets = secrets;
        this.caCertHash = caCertHash;
        this.firstControlPlane = firstControlPlane;
    }

    @Override
    public synchronized byte[] content(RenderedFile planned, Executor.Remote remote)
            throws TransportException, InterruptedException {
        if (!planned.secret()) return planned.content().getBytes(StandardCharsets.UTF_8);
        if (planned.localPath() != null) return local(planned);
        if (caCertHash == null && planned.content().contains(Secrets.MASKED.caCertHash())) {
            byte[] ca = remote.download(firstControlPlane, CA_CERT);
            try {
                caCertHash = CaCertHash.of(new String(ca, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(CA_CERT + " on " + firstControlPlane + " holds no certificate: " + e.getMessage());
            }
        }
        Secrets real = secrets.with(caCertHash != null ? caCertHash : Secrets.MASKED.caCertHash());
        if (!real.equals(renderedWith)) {
            rendered = new HashMap<>();
            for (RenderedFile f : render.apply(real)) rendered.put(key(f), f);
            renderedWith = real;
        }
        RenderedFile actual = rendered.get(key(planned));
        if (actual == null) throw new IllegalStateException("rendering again did not make " + planned.path() + " for " + planned.host());
        return actual.content().getBytes(StandardCharsets.UTF_8);
    }

    /** A file of the jump host's (a backup's), read now and refused when it is not the one the plan was made with. */
    static byte[] local(RenderedFile planned) {
        java.nio.file.Path p = java.nio.file.Path.of(planned.localPath());
        byte[] bytes;
        try {
            bytes = java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + p + " to send it as " + planned.path() + ": " + e.getMessage());
        }
        String sha = Executor.sha256(bytes);
        if (!sha.equals(planned.localSha256())) {
            throw new IllegalStateException(p + " changed since the plan was made (sha256 " + sha + ", the plan's "
                    + planned.localSha256() + "): not sent");
        }
        return bytes;
    }

    private static String key(RenderedFile f) {
        return f.host() + "\u0000" + f.os() + "\u0000" + f.path();
    }
}
