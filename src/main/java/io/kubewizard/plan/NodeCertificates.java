package io.kubewizard.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The certificates a node carries, read as PEM for the jump host to judge (pki/LiveCerts): kubeadm's
 * set and the CAs under /etc/kubernetes/pki (etcd's included, also on external etcd hosts), the
 * client certificates embedded in the kubeconfigs, and the kubelet's client and serving certificates.
 * Only certificate blocks are printed: the kubelet's client file also holds its private key, and a
 * kubeconfig its key data, neither of which leaves the node. A file that is not there is not listed.
 */
public record NodeCertificates() implements Reading<List<NodeCertificates.Found>> {
    /** One certificate: the file it is in, what kind of file, and the first certificate block in it. */
    public record Found(String path, Kind kind, String pem) {}

    public enum Kind { PKI, KUBECONFIG, KUBELET }

    static final List<String> PKI_GLOBS = List.of("/etc/kubernetes/pki/*.crt", "/etc/kubernetes/pki/etcd/*.crt");
    static final List<String> KUBECONFIGS = List.of("/etc/kubernetes/admin.conf", "/etc/kubernetes/super-admin.conf",
            "/etc/kubernetes/controller-manager.conf", "/etc/kubernetes/scheduler.conf", "/etc/kubernetes/kubelet.conf");
    static final List<String> KUBELET = List.of("/var/lib/kubelet/pki/kubelet-client-current.pem", "/var/lib/kubelet/pki/kubelet.crt");
    static final String MARK = "--- kubewizard:";
    private static final String BLOCK = "sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p'";

    public String id() { return "certificates"; }

    public List<String> commands() {
        return List.of(
                "for f in " + String.join(" ", PKI_GLOBS) + "; do test -f \"$f\" || continue; echo \"" + MARK + " PKI $f\"; "
                        + BLOCK + " \"$f\"; done; true",
                "for f in " + String.join(" ", KUBECONFIGS) + "; do test -f \"$f\" || continue; d=$(sed -n "
                        + "'s/^ *client-certificate-data: *//p' \"$f\" | head -n 1); test -n \"$d\" || continue; echo \"" + MARK
                        + " KUBECONFIG $f\"; printf '%s' \"$d\" | base64 -d | " + BLOCK + "; done; true",
                "for f in " + String.join(" ", KUBELET) + "; do test -f \"$f\" || continue; echo \"" + MARK + " KUBELET $f\"; "
                        + BLOCK + " \"$f\"; done; true");
    }

    public List<Found> parse(List<String> outputs) {
        List<Found> out = new ArrayList<>();
        for (String output : outputs) {
            String path = null;
            Kind kind = null;
            StringBuilder pem = null;
            for (String line : output.lines().toList()) {
                if (line.startsWith(MARK + " ")) {
                    String[] parts = line.substring(MARK.length() + 1).split(" ", 2);
                    if (parts.length != 2) throw new IllegalArgumentException("unreadable certificate listing line: " + line);
                    kind = Kind.valueOf(parts[0]);
                    path = parts[1];
                    pem = new StringBuilder();
                } else if (path != null && pem != null) {
                    pem.append(line).append('\n');
                    if (line.equals("-----END CERTIFICATE-----")) {
                        out.add(new Found(path, kind, pem.toString()));
                        pem = null;
                    }
                }
            }
        }
        return out;
    }
}
