package io.kubewizard.render;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.Volume;

import java.util.ArrayList;
import java.util.List;

import static io.kubewizard.render.Yaml.map;

/**
 * {@code security.apiServer.anonymousAuth: false}, done so the cluster still works. A plain
 * {@code --anonymous-auth=false} breaks kubeadm clusters: kubelet probes the apiserver's /livez and
 * /readyz without credentials (kubernetes/kubeadm#798) and joining nodes read the cluster-info
 * ConfigMap anonymously (kubeadm#1105). Since 1.32 (beta; GA in 1.34, KEP-4633) an
 * AuthenticationConfiguration can allow anonymous requests on listed paths only, which is what we
 * write. Older versions are refused by the validator. The flag and the file's anonymous section
 * exclude each other, so no --anonymous-auth is passed.
 */
final class AnonymousAuthConfig {
    private AnonymousAuthConfig() {}

    static final String DIR = "/etc/kubernetes/authentication";
    static final String PATH = DIR + "/authentication-config.yaml";
    static final String API_SERVER_ARG = "authentication-config";
    static final int FIRST_MINOR = 32;

    /** Health endpoints for kubelet and load-balancer probes; cluster-info for kubeadm join discovery. */
    static final List<String> ANONYMOUS_PATHS = List.of("/livez", "/readyz", "/healthz",
            "/api/v1/namespaces/kube-public/configmaps/cluster-info");

    static Volume volume() {
        return new Volume("authentication-config", DIR, DIR, true, "DirectoryOrCreate");
    }

    static String content(KubernetesVersion version) {
        List<Object> conditions = new ArrayList<>();
        for (String p : ANONYMOUS_PATHS) conditions.add(map("path", p));
        return Yaml.dump(map(
                "apiVersion", version.minor() >= 34 ? "apiserver.config.k8s.io/v1" : "apiserver.config.k8s.io/v1beta1",
                "kind", "AuthenticationConfiguration",
                "anonymous", map("enabled", true, "conditions", conditions)));
    }
}
