package io.kubewizard.render;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kubewizard.render.Yaml.map;

/**
 * Command-line flags for a component, in the order they are passed, written the way the kubeadm
 * config API of the cluster's version wants them: v1beta4 takes a list of {name, value} (so a flag
 * may repeat and the order is kept), v1beta3 a map.
 */
final class KubeadmArgs {
    private final Map<String, String> args = new LinkedHashMap<>();

    KubeadmArgs put(String name, String value) {
        args.put(name, value);
        return this;
    }

    KubeadmArgs putAll(Map<String, String> more) {
        more.forEach(this::put);
        return this;
    }

    /** The user's flags come after ours; one with the name of ours replaces it, since the user asked for it. */
    KubeadmArgs overriddenBy(Map<String, String> user) {
        for (Map.Entry<String, String> e : user.entrySet()) {
            args.remove(e.getKey());
            args.put(e.getKey(), e.getValue());
        }
        return this;
    }

    boolean isEmpty() { return args.isEmpty(); }

    Object render(boolean v1beta4) {
        if (!v1beta4) return new LinkedHashMap<>(args);
        List<Object> list = new ArrayList<>();
        args.forEach((name, value) -> list.add(map("name", name, "value", value)));
        return list;
    }
}
