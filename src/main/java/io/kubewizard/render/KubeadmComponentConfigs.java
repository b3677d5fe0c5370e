package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.KubeProxyMode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.kubewizard.render.Yaml.map;

/**
 * The component configs kubeadm init stores in the cluster for every node: KubeletConfiguration
 * (kubelet.config.k8s.io/v1beta1) and KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1).
 * The user's components.kubelet / components.kubeProxy are merged over what kubewizard sets.
 */
final class KubeadmComponentConfigs {
    private KubeadmComponentConfigs() {}

    static Map<String, Object> kubelet(ClusterSpec spec) {
        Map<String, Object> base = map(
                "apiVersion", "kubelet.config.k8s.io/v1beta1",
                "kind", "KubeletConfiguration",
                "cgroupDriver", spec.runtime().cgroupDriver().yaml(),
                // A config field since 1.27; the --container-runtime-endpoint flag is deprecated.
                "containerRuntimeEndpoint", spec.runtime().type().criSocket());
        if (!spec.cluster().featureGates().isEmpty()) base.put("featureGates", featureGates(spec));
        Map<String, Object> out = merged(base, spec.components().kubelet());
        // kubelet and runtime must agree on the cgroup driver or pods fail to start; the validator already
        // rejects a different value, this keeps the invariant even for a spec that skipped validation.
        out.put("cgroupDriver", spec.runtime().cgroupDriver().yaml());
        return out;
    }

    /** Null when kube-proxy is disabled (the CNI replaces it): then no kube-proxy config is written at all. */
    static Map<String, Object> kubeProxy(ClusterSpec spec) {
        KubeProxyMode mode = spec.network().kubeProxyMode();
        if (mode == KubeProxyMode.DISABLED) return null;
        Map<String, Object> base = map(
                "apiVersion", "kubeproxy.config.k8s.io/v1alpha1",
                "kind", "KubeProxyConfiguration",
                "mode", mode.yaml(),
                // Tells kube-proxy which traffic is pod traffic; it must be the cluster's podSubnet.
                "clusterCIDR", spec.network().podSubnet());
        if (!spec.cluster().featureGates().isEmpty()) base.put("featureGates", featureGates(spec));
        return merged(base, spec.components().kubeProxy());
    }

    /** Sorted, because the spec keeps feature gates in an unordered map and the output must be stable. */
    static Map<String, Object> featureGates(ClusterSpec spec) {
        return new LinkedHashMap<>(new TreeMap<>(spec.cluster().featureGates()));
    }

    /** "A=true,B=false": the --feature-gates flag of the control-plane components. */
    static String featureGatesFlag(ClusterSpec spec) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(spec.cluster().featureGates()).forEach((k, v) -> {
            if (sb.length() > 0) sb.append(',');
            sb.append(k).append('=').append(v);
        });
        return sb.toString();
    }

    /**
     * {@code over} deep-merged into a copy of {@code base}: mappings merge key by key, anything else
     * from {@code over} wins. Copies throughout, so no collection is shared between documents.
     */
    static Map<String, Object> merged(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>();
        base.forEach((k, v) -> out.put(k, copy(v)));
        for (Map.Entry<String, Object> e : over.entrySet()) {
            Object mine = out.get(e.getKey());
            if (mine instanceof Map<?, ?> m && e.getValue() instanceof Map<?, ?> theirs) {
                out.put(e.getKey(), merged(stringKeyed(m), stringKeyed(theirs)));
            } else {
                out.put(e.getKey(), copy(e.getValue()));
            }
        }
        return out;
    }

    private static Object copy(Object v) {
        if (v instanceof Map<?, ?> m) return merged(stringKeyed(m), Map.of());
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(copy(o));
            return out;
        }
        return v;
    }

    private static Map<String, Object> stringKeyed(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }
}
