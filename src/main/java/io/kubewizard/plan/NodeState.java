package io.kubewizard.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The Node objects against the answers file: each node registered, Ready, running the expected
 * kubelet version, labelled a control plane exactly when it is one, in its zone
 * ({@code topology.kubernetes.io/zone}, when the file names one) and carrying the taints kubeadm
 * registered it with (render/KubeadmConfig: the host's taints, and kubeadm's control-plane taint on a
 * control plane that runs no workloads). Taints the node controllers add ({@code node.kubernetes.io/*})
 * are not the file's and are not compared. The result is the list of what differs.
 */
record NodeState(List<Expected> nodes, boolean needReady) implements Reading<List<String>> {
    static final String CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    /** @param taints as {@code key[=value]:Effect} */
    record Expected(String name, String kubeletVersion, boolean controlPlane, String zone, List<String> taints) {}

    public String id() { return "node-state"; }

    /**
     * The expected nodes by name: kubectl lists those that exist (one alone as itself, several as a
     * List) and says NotFound for the others on stderr, which are then "not registered" here.
     */
    public List<String> commands() {
        return List.of(Paths.KUBECTL + " get nodes " + String.join(" ", nodes.stream().map(e -> Shell.quote(e.name())).toList())
                + " -o json 2>/dev/null; true");
    }

    public List<String> parse(List<String> outputs) {
        String out = outputs.get(0).strip();
        if (out.isEmpty()) throw new IllegalArgumentException("kubectl get nodes printed nothing (is the API server up?)");
        Map<String, Object> doc = map(Json.parse(out));
        Map<String, Map<String, Object>> byName = new java.util.LinkedHashMap<>();
        if ("Node".equals(doc.get("kind"))) byName.put(String.valueOf(map(doc.get("metadata")).get("name")), doc);
        if (doc.get("items") instanceof List<?> items) {
            for (Object item : items) byName.put(String.valueOf(map(map(item).get("metadata")).get("name")), map(item));
        }
        List<String> problems = new ArrayList<>();
        for (Expected e : nodes) {
            Map<String, Object> node = byName.get(e.name());
            if (node == null) {
                problems.add("node " + e.name() + " is not registered");
                continue;
            }
            Map<String, Object> meta = map(node.get("metadata"));
            Map<String, Object> status = map(node.get("status"));
            Map<String, Object> labels = map(meta.get("labels"));
            boolean ready = false;
            if (status.get("conditions") instanceof List<?> conditions) {
                for (Object c : conditions) if ("Ready".equals(map(c).get("type"))) ready = "True".equals(map(c).get("status"));
            }
            if (needReady && !ready) problems.add("node " + e.name() + " is not Ready");
            Object kubelet = map(status.get("nodeInfo")).get("kubeletVersion");
            if (!e.kubeletVersion().equals(kubelet)) {
                problems.add("node " + e.name() + " runs kubelet " + kubelet + ", not " + e.kubeletVersion());
            }
            if (labels.containsKey(CONTROL_PLANE_LABEL) != e.controlPlane()) {
                problems.add("node " + e.name() + (e.controlPlane() ? " is not labelled a control plane"
                        : " is labelled a control plane, and the answers file makes it none"));
            }
            if (!e.zone().isEmpty() && !e.zone().equals(labels.get(ZONE_LABEL))) {
                problems.add("node " + e.name() + " is in zone " + (labels.containsKey(ZONE_LABEL) ? labels.get(ZONE_LABEL)
                        : "(none)") + ", not " + e.zone());
            }
            TreeSet<String> have = new TreeSet<>();
            if (map(node.get("spec")).get("taints") instanceof List<?> taints) {
                for (Object t : taints) {
                    Map<String, Object> taint = map(t);
                    String key = String.valueOf(taint.get("key"));
                    if (key.startsWith("node.kubernetes.io/")) continue;
                    Object value = taint.get("value");
                    have.add(key + (value == null || value.toString().isEmpty() ? "" : "=" + value) + ":" + taint.get("effect"));
                }
            }
            TreeSet<String> want = new TreeSet<>(e.taints());
            if (!have.equals(want)) {
                problems.add("node " + e.name() + " has taints " + (have.isEmpty() ? "(none)" : String.join(", ", have))
                        + ", not " + (want.isEmpty() ? "(none)" : String.join(", ", want)));
            }
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
