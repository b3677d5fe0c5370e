package io.kubewizard.pki;

import io.kubewizard.answers.Spec.ClusterSpec;
import org.bouncycastle.cert.X509CertificateHolder;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code kubewizard user add}: a person's kubeconfig, its client certificate (CN the user, one O per
 * group, client auth) signed by the cluster CA. With kubewizard's PKI it is issued here from the stored
 * CA; with kubeadm's, {@code kubeadm kubeconfig user} made it on a control plane and {@link #adopt}
 * checks it and gives it the same shape. Either way the context is {@code NAME@<cluster>} and the server
 * the cluster's API endpoint, as admin.conf has it.
 */
public final class UserAccess {
    private UserAccess() {}

    /** The kubeconfig (it holds the private key: write it 0600, never log it) and its certificate's validity. */
    public record Issued(String kubeconfig, Instant notBefore, Instant notAfter) {}

    /** Where the user's kubeconfig points: controlPlaneEndpoint, else the first control plane. */
    public static String server(ClusterSpec spec) { return Catalogue.controlPlaneUrl(spec); }

    /**
     * Issues the certificate from the stored Kubernetes CA (pki.generatedBy: kubewizard), valid for
     * {@code days} from a few minutes ago (the backdate the other leaves have, for clocks a little behind).
     */
    public static Issued issue(ClusterSpec spec, PkiStore store, String name, List<String> groups, int days, Clock clock)
            throws PkiException {
        ClusterPki.Issuer ca = ClusterPki.loadCa(store, Authority.KUBERNETES);
        if (ca == null) {
            throw new PkiException(store.pathOf(null, Authority.KUBERNETES.crt()), "does not exist: the cluster CA is made by "
                    + "the first apply, so a user can be added only to a cluster kubewizard installed from this run directory");
        }
        SecureRandom random = new SecureRandom();
        KeyPair pair = Keys.generate(spec.pki().keyAlgorithm(), random);
        Instant notBefore = clock.instant().minus(ClusterPki.BACKDATE);
        X509CertificateHolder cert = Certs.client(name, groups, pair.getPublic(), ca.cert(), ca.key(), notBefore,
                notBefore.plus(Duration.ofDays(days)), random);
        String text = Kubeconfig.text(spec.cluster().name(), server(spec), name, ca.certPem(), Certs.pem(cert),
                Keys.privatePem(pair));
        return new Issued(text, cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }

    /**
     * The kubeconfig {@code kubeadm kubeconfig user} printed on a control plane, checked (its certificate
     * names this user and these groups, is signed by its CA and matches its key) and written again with
     * the context {@code NAME@<cluster>} and the cluster's API endpoint.
     *
     * @param source where the fetched copy is, for messages
     */
    public static Issued adopt(ClusterSpec spec, String fetched, String name, List<String> groups, Path source)
            throws PkiException {
        Kubeconfig.Parsed k;
        X509CertificateHolder cert;
        X509CertificateHolder ca;
        try {
            k = Kubeconfig.parse(fetched);
            cert = Certs.parse(k.certPem());
            ca = Certs.parse(k.caPem());
        } catch (IllegalArgumentException e) {
            throw new PkiException(source, "is not the kubeconfig kubeadm kubeconfig user prints: " + e.getMessage());
        }
        if (!name.equals(Certs.commonName(cert)) || !groups.equals(Certs.organizations(cert))) {
            throw new PkiException(source, "holds a certificate for " + Certs.describe(cert.getSubject()) + ", not for "
                    + "the user " + name + " in " + groups);
        }
        if (!Certs.signedBy(cert, ca)) throw new PkiException(source, "holds a certificate its CA did not sign");
        try {
            if (!Keys.samePublicKey(Keys.parsePrivate(k.keyPem()).publicKey(), cert.getSubjectPublicKeyInfo())) {
                throw new PkiException(source, "holds a key that does not match its certificate");
            }
        } catch (IllegalArgumentException e) {
            throw new PkiException(source, "holds an unusable key: " + e.getMessage());
        }
        String text = Kubeconfig.text(spec.cluster().name(), server(spec), name, k.caPem(), k.certPem(), k.keyPem());
        return new Issued(text, cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
    }
}
