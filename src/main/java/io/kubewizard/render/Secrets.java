package io.kubewizard.render;

/**
 * The per-run secrets render needs as inputs (render never invents them: docs/architecture.md, render is pure).
 * {@link #MASKED} stands in for them wherever a person reads the files (Review page, render without
 * --with-secrets, dry runs).
 *
 * @param bootstrapToken  "abcdef.0123456789abcdef"
 * @param certificateKey  64 hex characters, the key kubeadm encrypts uploaded control-plane certs with
 * @param caCertHash      "sha256:<hex of the SHA-256 of ca.crt's DER SubjectPublicKeyInfo>"
 */
public record Secrets(String bootstrapToken, String certificateKey, String caCertHash) {

    /** Same shapes as real values, so masked files still look like what will be written. */
    public static final Secrets MASKED = new Secrets("******.****************",
            "****************************************************************",
            "sha256:****************************************************************");

    public boolean masked() { return this.equals(MASKED); }

    @Override
    public String toString() { return "Secrets[masked]"; }
}
