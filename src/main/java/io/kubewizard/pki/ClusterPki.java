package io.kubewizard.pki;

import io.kubewizard.answers.GoDuration;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.KeyAlgorithm;
import org.bouncycastle.cert.X509CertificateHolder;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Makes the cluster's PKI on the jump host, or reuses it: what the store holds is checked and
 * kept, only what is missing is generated (signed by the stored CA), and nothing is ever replaced,
 * since a rerun may face a live cluster whose nodes trust the stored CAs.
 */
public final class ClusterPki {
    private ClusterPki() {}

    /** notBefore lies this far in the past, so nodes whose clocks run a little behind accept new certs. */
    static final Duration BACKDATE = Duration.ofMinutes(5);

    private record Issuer(X509CertificateHolder cert, PrivateKey key, String certPem, String keyPem) {}

    private record Window(Instant notBefore, Instant notAfter) {}

    /** Whether kubewizard makes any certificate for this cluster (pki.generatedBy: kubewizard, or external etcd). */
    public static boolean needed(ClusterSpec spec) { return !Catalogue.of(spec).isEmpty(); }

    public static PkiMaterial ensure(ClusterSpec spec, PkiStore store) throws PkiException {
        return ensure(spec, store, Clock.systemUTC());
    }

    public static PkiMaterial ensure(ClusterSpec spec, PkiStore store, Clock clock) throws PkiException {
        Catalogue catalogue = Catalogue.of(spec);
        if (catalogue.isEmpty()) return PkiMaterial.NONE;
        String cluster = spec.cluster().name();
        Instant now = clock.instant();
        Window leafWindow = new Window(now.minus(BACKDATE), now.plus(validity(spec.pki().certificateValidity(), "certificateValidity")));
        Window caWindow = new Window(now.minus(BACKDATE), now.plus(validity(spec.pki().caCertificateValidity(), "caCertificateValidity")));

        Map<Authority, Issuer> storedCas = new EnumMap<>(Authority.class);
        for (Authority a : catalogue.authorities()) {
            Issuer ca = loadCa(store, a);
            if (ca != null) storedCas.put(a, ca);
        }
        String[] serviceAccount = catalogue.serviceAccountKey() ? loadServiceAccount(store) : null;
        Map<Catalogue.Item, Map<String, String>> storedItems = new LinkedHashMap<>();
        List<Catalogue.Item> missing = new ArrayList<>();
        for (Catalogue.Item item : catalogue.items()) {
            Map<String, String> files = loadItem(store, item, storedCas.get(item.ca()), cluster);
            if (files == null) missing.add(item);
            else storedItems.put(item, files);
        }

        List<Authority> newCas = catalogue.authorities().stream().filter(a -> !storedCas.containsKey(a)).toList();
        boolean newServiceAccount = catalogue.serviceAccountKey() && serviceAccount == null;
        Generated made = generate(spec.pki().keyAlgorithm(), newCas, storedCas, newServiceAccount, missing,
                leafWindow, caWindow, cluster);

        Map<Authority, Issuer> cas = new EnumMap<>(storedCas);
        for (Map.Entry<Authority, Issuer> e : made.cas.entrySet()) {
            store.write(null, e.getKey().key(), e.getValue().keyPem());
            store.write(null, e.getKey().crt(), e.getValue().certPem());
            cas.put(e.getKey(), e.getValue());
        }
        if (newServiceAccount) {
            serviceAccount = made.serviceAccount;
            store.write(null, "pki/sa.key", serviceAccount[0]);
            store.write(null, "pki/sa.pub", serviceAccount[1]);
        }
        Map<Catalogue.Item, Map<String, String>> items = new LinkedHashMap<>(storedItems);
        for (Map.Entry<Catalogue.Item, Map<String, String>> e : made.items.entrySet()) {
            for (Map.Entry<String, String> f : e.getValue().entrySet()) store.write(e.getKey().host(), f.getKey(), f.getValue());
            items.put(e.getKey(), e.getValue());
        }

        Map<String, String> clusterFiles = new TreeMap<>();
        Map<String, Map<String, String>> hostFiles = new TreeMap<>();
        for (Authority a : catalogue.authorities()) {
            clusterFiles.put(a.crt(), cas.get(a).certPem());
            clusterFiles.put(a.key(), cas.get(a).keyPem());
        }
        if (serviceAccount != null) {
            clusterFiles.put("pki/sa.key", serviceAccount[0]);
            clusterFiles.put("pki/sa.pub", serviceAccount[1]);
        }
        for (Catalogue.Item item : catalogue.items()) {
            Map<String, String> target = item.host() == null ? clusterFiles : hostFiles.computeIfAbsent(item.host(), h -> new TreeMap<>());
            target.putAll(items.get(item));
        }
        Issuer kubernetesCa = cas.get(Authority.KUBERNETES);
        return new PkiMaterial(kubernetesCa == null ? null : CaCertHash.of(kubernetesCa.certPem()), clusterFiles, hostFiles);
    }

    private static Duration validity(String text, String field) {
        Duration d = GoDuration.parse(text);
        if (d == null) throw new IllegalArgumentException("pki." + field + " is not a duration: " + text);
        return d;
    }

    // ---- loading and checking what is stored ----

    private static Issuer loadCa(PkiStore store, Authority a) throws PkiException {
        String crt = store.read(null, a.crt());
        String key = store.read(null, a.key());
        if (crt == null && key == null) return null;
        Path crtPath = store.pathOf(null, a.crt());
        Path keyPath = store.pathOf(null, a.key());
        if (crt == null) throw new PkiException(crtPath, "is missing while " + keyPath.getFileName()
                + " exists: restore it; kubewizard never makes a new CA over a stored one");
        if (key == null) throw new PkiException(keyPath, "is missing while " + crtPath.getFileName()
                + " exists: restore it; kubewizard signs with the stored CA and never makes a new one");
        X509CertificateHolder cert = certificate(crtPath, crt);
        if (!Certs.isCa(cert)) throw new PkiException(crtPath, "is not a CA certificate (basic constraints CA:FALSE)");
        Keys.Parsed parsed = privateKey(keyPath, key);
        if (!Keys.samePublicKey(parsed.publicKey(), cert.getSubjectPublicKeyInfo())) {
            throw new PkiException(keyPath, "does not match the certificate " + crtPath.getFileName());
        }
        return new Issuer(cert, parsed.privateKey(), crt, key);
    }

    private static String[] loadServiceAccount(PkiStore store) throws PkiException {
        String key = store.read(null, "pki/sa.key");
        String pub = store.read(null, "pki/sa.pub");
        if (key == null && pub == null) return null;
        Path keyPath = store.pathOf(null, "pki/sa.key");
        Path pubPath = store.pathOf(null, "pki/sa.pub");
        if (key == null) throw new PkiException(keyPath, "is missing while sa.pub exists: restore it (service-account tokens of a live cluster are signed with it)");
        if (pub == null) throw new PkiException(pubPath, "is missing while sa.key exists: restore it");
        Keys.Parsed parsed = privateKey(keyPath, key);
        try {
            if (!Keys.samePublicKey(parsed.publicKey(), Keys.parsePublic(pub))) {
                throw new PkiException(pubPath, "does not match the private key sa.key");
            }
        } catch (IllegalArgumentException e) {
            throw new PkiException(pubPath, "is not a usable public key: " + e.getMessage());
        }
        return new String[] {key, pub};
    }

    /** The stored files of one item, checked; null when none of them is stored. */
    private static Map<String, String> loadItem(PkiStore store, Catalogue.Item item, Issuer ca, String cluster) throws PkiException {
        if (item.kubeconfig()) {
            String text = store.read(item.host(), item.path());
            if (text == null) return null;
            Path path = store.pathOf(item.host(), item.path());
            requireCa(store, path, item, ca);
            checkKubeconfig(path, text, item, ca, cluster);
            return Map.of(item.path(), text);
        }
        String crt = store.read(item.host(), item.crt());
        String key = store.read(item.host(), item.key());
        if (crt == null && key == null) return null;
        Path crtPath = store.pathOf(item.host(), item.crt());
        Path keyPath = store.pathOf(item.host(), item.key());
        if (crt == null) throw new PkiException(crtPath, "is missing while " + keyPath.getFileName()
                + " exists: remove the key to have both re-issued by the stored CA, or restore the certificate");
        if (key == null) throw new PkiException(keyPath, "is missing while " + crtPath.getFileName()
                + " exists: remove the certificate to have both re-issued by the stored CA, or restore the key");
        requireCa(store, crtPath, item, ca);
        checkLeaf(crtPath, certificate(crtPath, crt), privateKey(keyPath, key), keyPath, item, ca, store);
        return Map.of(item.crt(), crt, item.key(), key);
    }

    private static void requireCa(PkiStore store, Path file, Catalogue.Item item, Issuer ca) throws PkiException {
        if (ca == null) {
            throw new PkiException(file, "exists but its CA " + store.pathOf(null, item.ca().crt())
                    + " does not: restore the CA, or remove this file to have it re-issued by a new CA");
        }
    }

    private static void checkLeaf(Path crtPath, X509CertificateHolder cert, Keys.Parsed key, Path keyPath,
                                  Catalogue.Item item, Issuer ca, PkiStore store) throws PkiException {
        String reissue = "remove it and its key to have them re-issued by the stored CA";
        if (!Keys.samePublicKey(key.publicKey(), cert.getSubjectPublicKeyInfo())) {
            throw new PkiException(keyPath, "does not match the certificate " + crtPath.getFileName());
        }
        if (!Certs.signedBy(cert, ca.cert())) {
            throw new PkiException(crtPath, "is not signed by the stored CA " + store.pathOf(null, item.ca().crt()) + ": " + reissue);
        }
        String cn = Certs.commonName(cert);
        if (!item.profile().commonName().equals(cn)) {
            throw new PkiException(crtPath, "is issued to CN=" + cn + ", expected CN=" + item.profile().commonName() + ": " + reissue);
        }
        List<String> lacking = new ArrayList<>(item.profile().dnsNames());
        lacking.removeAll(Certs.dnsNames(cert));
        List<String> lackingIps = new ArrayList<>(item.profile().ipAddresses());
        lackingIps.removeAll(Certs.ipAddresses(cert));
        lacking.addAll(lackingIps);
        if (!lacking.isEmpty()) {
            throw new PkiException(crtPath, "lacks names this cluster now needs (" + String.join(", ", lacking) + "): " + reissue);
        }
    }

    private static void checkKubeconfig(Path path, String text, Catalogue.Item item, Issuer ca, String cluster) throws PkiException {
        String reissue = "remove it to have it re-issued by the stored CA";
        Kubeconfig.Parsed k;
        X509CertificateHolder embeddedCa;
        X509CertificateHolder cert;
        Keys.Parsed key;
        try {
            k = Kubeconfig.parse(text);
            embeddedCa = Certs.parse(k.caPem());
            cert = Certs.parse(k.certPem());
            key = Keys.parsePrivate(k.keyPem());
        } catch (IllegalArgumentException e) {
            throw new PkiException(path, "is not a usable kubeconfig: " + e.getMessage());
        }
        if (!embeddedCa.equals(ca.cert())) throw new PkiException(path, "embeds another CA than the stored ca.crt: " + reissue);
        if (!k.cluster().equals(cluster)) throw new PkiException(path, "names cluster " + k.cluster() + ", expected " + cluster + ": " + reissue);
        if (!k.server().equals(item.server())) {
            throw new PkiException(path, "points at " + k.server() + ", expected " + item.server() + ": " + reissue);
        }
        if (!Keys.samePublicKey(key.publicKey(), cert.getSubjectPublicKeyInfo())) {
            throw new PkiException(path, "client-key-data does not match client-certificate-data: " + reissue);
        }
        if (!Certs.signedBy(cert, ca.cert())) throw new PkiException(path, "has a client certificate not signed by the stored CA: " + reissue);
        String cn = Certs.commonName(cert);
        if (!item.profile().commonName().equals(cn)) {
            throw new PkiException(path, "is for CN=" + cn + ", expected CN=" + item.profile().commonName() + ": " + reissue);
        }
    }

    private static X509CertificateHolder certificate(Path path, String pem) throws PkiException {
        try {
            return Certs.parse(pem);
        } catch (IllegalArgumentException e) {
            throw new PkiException(path, "is not a usable PEM certificate: " + e.getMessage());
        }
    }

    private static Keys.Parsed privateKey(Path path, String pem) throws PkiException {
        try {
            return Keys.parsePrivate(pem);
        } catch (IllegalArgumentException e) {
            throw new PkiException(path, "is not a usable private key: " + e.getMessage());
        }
    }

    // ---- generating what is missing ----

    private record Generated(Map<Authority, Issuer> cas, String[] serviceAccount, Map<Catalogue.Item, Map<String, String>> items) {}

    /**
     * Key generation dominates (RSA primes), so every key is made on its own task: CAs first,
     * each leaf signed as soon as its key and its CA are both ready.
     */
    private static Generated generate(KeyAlgorithm algorithm, List<Authority> newCas, Map<Authority, Issuer> storedCas,
                                      boolean serviceAccount, List<Catalogue.Item> items, Window leafWindow,
                                      Window caWindow, String cluster) {
        if (newCas.isEmpty() && !serviceAccount && items.isEmpty()) return new Generated(Map.of(), null, Map.of());
        SecureRandom random = new SecureRandom();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "pki-keygen");
            t.setDaemon(true);
            return t;
        });
        try {
            Map<Authority, CompletableFuture<Issuer>> issuers = new EnumMap<>(Authority.class);
            storedCas.forEach((a, ca) -> issuers.put(a, CompletableFuture.completedFuture(ca)));
            for (Authority a : newCas) {
                issuers.put(a, CompletableFuture.supplyAsync(() -> newCa(a, algorithm, caWindow, random), pool));
            }
            CompletableFuture<String[]> sa = serviceAccount ? CompletableFuture.supplyAsync(() -> {
                KeyPair pair = Keys.generate(algorithm, random);
                return new String[] {Keys.privatePem(pair), Keys.publicPem(pair.getPublic())};
            }, pool) : null;
            Map<Catalogue.Item, CompletableFuture<Map<String, String>>> leaves = new LinkedHashMap<>();
            for (Catalogue.Item item : items) {
                leaves.put(item, CompletableFuture.supplyAsync(() -> Keys.generate(algorithm, random), pool)
                        .thenCombine(issuers.get(item.ca()), (pair, ca) -> issue(item, pair, ca, leafWindow, random, cluster)));
            }
            Map<Authority, Issuer> cas = new EnumMap<>(Authority.class);
            for (Authority a : newCas) cas.put(a, issuers.get(a).join());
            Map<Catalogue.Item, Map<String, String>> made = new LinkedHashMap<>();
            for (Map.Entry<Catalogue.Item, CompletableFuture<Map<String, String>>> e : leaves.entrySet()) made.put(e.getKey(), e.getValue().join());
            return new Generated(cas, sa == null ? null : sa.join(), made);
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Issuer newCa(Authority a, KeyAlgorithm algorithm, Window window, SecureRandom random) {
        KeyPair pair = Keys.generate(algorithm, random);
        X509CertificateHolder cert = Certs.selfSignedCa(a.commonName(), pair, window.notBefore(), window.notAfter(), random);
        return new Issuer(cert, pair.getPrivate(), Certs.pem(cert), Keys.privatePem(pair));
    }

    private static Map<String, String> issue(Catalogue.Item item, KeyPair pair, Issuer ca, Window window,
                                             SecureRandom random, String cluster) {
        X509CertificateHolder cert = Certs.signed(item.profile(), pair.getPublic(), ca.cert(), ca.key(),
                window.notBefore(), window.notAfter(), random);
        String certPem = Certs.pem(cert);
        String keyPem = Keys.privatePem(pair);
        if (item.kubeconfig()) {
            return Map.of(item.path(), Kubeconfig.text(cluster, item.server(), item.profile().commonName(), ca.certPem(), certPem, keyPem));
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put(item.key(), keyPem);
        files.put(item.crt(), certPem);
        return files;
    }
}
