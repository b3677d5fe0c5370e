package io.kubewizard.render;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic YAML for generated Kubernetes files: block style, 2-space indent, insertion order
 * kept (build documents from LinkedHashMaps), no line folding, no anchors.
 */
public final class Yaml {
    private Yaml() {}

    /** One YAML document (answers.YamlText's dumper: the one place SnakeYAML is used). */
    public static String dump(Object document) {
        return io.kubewizard.answers.YamlText.dump(document);
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
