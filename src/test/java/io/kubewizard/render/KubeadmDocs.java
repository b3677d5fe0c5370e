package io.kubewizard.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses a multi-document kubeadm config back into maps, as kubeadm would split it. */
final class KubeadmDocs {
    private KubeadmDocs() {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new org.yaml.snakeyaml.Yaml().loadAll(text)) {
            if (doc != null) out.add((Map<String, Object>) doc);
        }
        return out;
    }
}
