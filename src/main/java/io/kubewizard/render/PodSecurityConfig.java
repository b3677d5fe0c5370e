package io.kubewizard.render;

import io.kubewizard.answers.Spec.PodSecurity;
import io.kubewizard.answers.Spec.Volume;

import java.util.ArrayList;
import java.util.List;

import static io.kubewizard.render.Yaml.map;

/**
 * The cluster-wide Pod Security Admission defaults (docs/kubeadm.md, "Pod Security Admission"): an
 * AdmissionConfiguration the kube-apiserver reads at start, so it must be on every control plane before
 * init or join. It lives in a directory of its own because kubeadm mounts volumes, not single files.
 */
final class PodSecurityConfig {
    private PodSecurityConfig() {}

    static final String DIR = "/etc/kubernetes/admission";
    static final String PATH = DIR + "/pod-security.yaml";

    /** The kube-apiserver flag that points at {@link #PATH}. */
    static final String API_SERVER_ARG = "admission-control-config-file";

    /** Read-only: the apiserver only reads its admission config. */
    static Volume volume() {
        return new Volume("admission-config", DIR, DIR, true, "DirectoryOrCreate");
    }

    static String content(PodSecurity ps) {
        // "latest" tracks the Pod Security Standards of the running apiserver; a pinned version would need
        // bumping by hand on every upgrade.
        return Yaml.dump(map(
                "apiVersion", "apiserver.config.k8s.io/v1",
                "kind", "AdmissionConfiguration",
                "plugins", new ArrayList<>(List.of(map(
                        "name", "PodSecurity",
                        "configuration", map(
                                "apiVersion", "pod-security.admission.config.k8s.io/v1",
                                "kind", "PodSecurityConfiguration",
                                "defaults", map(
                                        "enforce", ps.enforce().yaml(),
                                        "enforce-version", "latest",
                                        "audit", ps.audit().yaml(),
                                        "audit-version", "latest",
                                        "warn", ps.warn().yaml(),
                                        "warn-version", "latest"),
                                // Fresh lists: SnakeYAML would write one shared instance as an anchor and an alias.
                                "exemptions", map(
                                        "usernames", new ArrayList<>(),
                                        "runtimeClasses", new ArrayList<>(),
                                        "namespaces", new ArrayList<>(ps.exemptNamespaces()))))))));
    }
}
