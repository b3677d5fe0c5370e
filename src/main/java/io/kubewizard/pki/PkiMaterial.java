package io.kubewizard.pki;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The generated PKI as plain text, ready to be placed on hosts: file contents keyed by their path
 * relative to /etc/kubernetes ("pki/ca.crt", "pki/etcd/server.key", "admin.conf"). Holds no
 * Bouncy Castle types, so render can place it without importing the crypto library.
 *
 * @param caCertHash   "sha256:..." of the Kubernetes CA for join discovery; null without one
 *                     (pki.generatedBy: kubeadm, where kubeadm makes that CA on the first node)
 * @param clusterFiles files every control plane shares (CAs, service-account keys, shared clients)
 * @param hostFiles    files made for one host (apiserver and etcd member certs, per-node kubeconfigs)
 */
public record PkiMaterial(String caCertHash, Map<String, String> clusterFiles, Map<String, Map<String, String>> hostFiles) {

    /** Nothing generated: kubeadm makes the whole PKI on the nodes. */
    public static final PkiMaterial NONE = new PkiMaterial(null, Map.of(), Map.of());

    /** Copies into maps sorted by path and host name, so iteration (and rendering) is deterministic. */
    public PkiMaterial {
        clusterFiles = Collections.unmodifiableSortedMap(new TreeMap<>(clusterFiles));
        SortedMap<String, Map<String, String>> hosts = new TreeMap<>();
        hostFiles.forEach((h, files) -> hosts.put(h, Collections.unmodifiableSortedMap(new TreeMap<>(files))));
        hostFiles = Collections.unmodifiableSortedMap(hosts);
    }

    public boolean isEmpty() { return clusterFiles.isEmpty() && hostFiles.isEmpty(); }

    /** The files made for one host (empty when none). */
    public Map<String, String> filesOf(String host) { return hostFiles.getOrDefault(host, Map.of()); }

    /** Private keys must never reach a log by accident. */
    @Override
    public String toString() {
        return "PkiMaterial[" + clusterFiles.size() + " cluster files, " + hostFiles.keySet() + "]";
    }
}
