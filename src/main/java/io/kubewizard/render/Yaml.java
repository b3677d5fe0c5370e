package io.kubewizard.render;

import org.yaml.snakeyaml.DumperOptions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic YAML for generated Kubernetes files: block style, 2-space indent, insertion order
 * kept (build documents from LinkedHashMaps), no line folding, no anchors.
 */
public final class Yaml {
    private Yaml() {}

    private static final ThreadLocal<org.yaml.snakeyaml.Yaml> YAML = ThreadLocal.withInitial(() -> {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        return new org.yaml.snakeyaml.Yaml(o);
    });

    /** One YAML document. */
    public static String dump(Object document) {
        return YAML.get().dump(document);
    }

    /** Several documents separated by "---", as kubeadm reads them from one --config file. */
    public static String dumpAll(List<?> documents) {
        StringBuilder sb = new StringBuilder();
        for (Object d : documents) {
            if (sb.length() > 0) sb.append("---\n");
            sb.append(dump(d));
        }
        return sb.toString();
    }

    /** A LinkedHashMap from alternating keys and values: map("apiVersion", "v1", "kind", "Pod"). */
    public static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }
}
