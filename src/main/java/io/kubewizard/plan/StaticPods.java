package io.kubewizard.plan;

import io.kubewizard.answers.Spec.RuntimeType;

import java.util.List;

/**
 * Stopping and starting a node's static pods the way the kubelet allows: a manifest moved out of
 * /etc/kubernetes/manifests stops its pod, moved back starts it again; each command waits (through
 * crictl) until the container is gone or running. The manifests wait in a directory of the
 * workflow's own ({@code aside}), so a clean-up can always put back what a failure left there.
 * Used by certificate renewal (each pod restarted in turn) and restore (API servers and etcd stopped
 * across the cluster, then started).
 */
final class StaticPods {
    private StaticPods() {}

    private static String running(RuntimeType runtime) {
        return Etcdctl.crictl(runtime) + " ps --quiet --state running --name";
    }

    /** Each pod in turn: manifest aside, container gone, manifest back, container running. */
    static String restart(RuntimeType runtime, String aside, List<String> pods) {
        String ps = running(runtime);
        return "set -e; mkdir -p " + aside + "; for c in " + String.join(" ", pods) + "; do test -f "
                + Paths.MANIFESTS_DIR + "/$c.yaml || continue; mv " + Paths.MANIFESTS_DIR + "/$c.yaml " + aside + "/; "
                + "for try in $(seq 1 60); do test -z \"$(" + ps + " \"^$c\\$\")\" && break; sleep 1; done; "
                + "mv " + aside + "/$c.yaml " + Paths.MANIFESTS_DIR + "/; "
                + "for try in $(seq 1 120); do test -n \"$(" + ps + " \"^$c\\$\")\" && break; sleep 1; done; "
                + "test -n \"$(" + ps + " \"^$c\\$\")\" || { echo \"$c did not start again\" >&2; exit 1; }; done";
    }

    /** The pods' manifests moved aside, each container gone. */
    static String aside(RuntimeType runtime, String aside, List<String> pods) {
        String ps = running(runtime);
        return "mkdir -p " + aside + " && for c in " + String.join(" ", pods) + "; do if test -f " + Paths.MANIFESTS_DIR
                + "/$c.yaml; then mv " + Paths.MANIFESTS_DIR + "/$c.yaml " + aside + "/; fi; for try in $(seq 1 60); do "
                + "test -z \"$(" + ps + " \"^$c\\$\")\" && break; sleep 1; done; test -z \"$(" + ps + " \"^$c\\$\")\" || "
                + "{ echo \"$c did not stop\" >&2; exit 1; }; done";
    }

    /** The pods' manifests back, each container running. */
    static String back(RuntimeType runtime, String aside, List<String> pods) {
        String ps = running(runtime);
        return "for c in " + String.join(" ", pods) + "; do if test -f " + aside + "/$c.yaml; then mv " + aside + "/$c.yaml "
                + Paths.MANIFESTS_DIR + "/; fi; for try in $(seq 1 120); do test -n \"$(" + ps + " \"^$c\\$\")\" && break; "
                + "sleep 1; done; test -n \"$(" + ps + " \"^$c\\$\")\" || { echo \"$c did not start\" >&2; exit 1; }; done";
    }

    /** The clean-up: every manifest still aside put back, the directory removed when empty; never fails. */
    static String putBack(String aside) {
        return "for f in " + aside + "/*.yaml; do test -e \"$f\" || continue; mv -f \"$f\" " + Paths.MANIFESTS_DIR
                + "/; done; rmdir " + aside + " 2>/dev/null; true";
    }
}
