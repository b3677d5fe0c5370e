package io.kubewizard.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether draining a node would be refused, found out before anything changes: the
 * PodDisruptionBudgets that cover the node's pods and allow no disruption (named, which kubectl's
 * own message does not do), then kubectl's server-side dry run for every other reason. The result
 * is the list of problems; empty when the drain may go ahead.
 *
 * @param node the Node to drain
 */
record DrainBudgets(String node) implements Reading<List<String>> {

    static final String FAILED = "kubewizard: the drain dry run failed";

    public String id() { return "drain-check"; }

    public List<String> commands() {
        return List.of(Paths.KUBECTL + " get pdb --all-namespaces -o json",
                Paths.KUBECTL + " get pods --all-namespaces --field-selector spec.nodeName=" + Shell.quote(node) + " -o json",
                Paths.KUBECTL + " drain " + Shell.quote(node) + " " + RemoveNodes.DRAIN_FLAGS + " --dry-run=server --timeout=60s 2>&1 || echo '"
                        + FAILED + "'");
    }

    @SuppressWarnings("unchecked")
    public List<String> parse(List<String> outputs) {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> pods = items(outputs.get(1), "pods");
        for (Map<String, Object> pdb : items(outputs.get(0), "pdb")) {
            Map<String, Object> meta = map(pdb.get("metadata"));
            Map<String, Object> selector = map(map(pdb.get("spec")).get("selector"));
            Map<String, Object> match = map(selector.get("matchLabels"));
            Object allowed = map(pdb.get("status")).get("disruptionsAllowed");
            long disruptions = allowed instanceof Long l ? l : 0;
            List<String> covered = new ArrayList<>();
            for (Map<String, Object> pod : pods) {
                Map<String, Object> pm = map(pod.get("metadata"));
                if (!String.valueOf(pm.get("namespace")).equals(String.valueOf(meta.get("namespace")))) continue;
                if (match.isEmpty() && selector.get("matchExpressions") == null) continue;
                Map<String, Object> labels = map(pm.get("labels"));
                if (match.entrySet().stream().allMatch(e -> String.valueOf(e.getValue()).equals(String.valueOf(labels.get(e.getKey()))))) {
                    covered.add(pm.get("namespace") + "/" + pm.get("name"));
                }
            }
            if (!covered.isEmpty() && covered.size() > disruptions) {
                problems.add("draining " + node + " would violate PodDisruptionBudget " + meta.get("namespace") + "/"
                        + meta.get("name") + ": it allows " + disruptions + " disruption" + (disruptions == 1 ? "" : "s")
                        + " and covers " + String.join(", ", covered) + " on " + node);
            }
        }
        String dryRun = outputs.get(2).strip();
        if (problems.isEmpty() && dryRun.endsWith(FAILED)) {
            List<String> lines = dryRun.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals(FAILED)).toList();
            problems.add("kubectl drain " + node + " --dry-run=server failed: "
                    + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
        }
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(String json, String what) {
        Object doc;
        try {
            doc = Json.parse(json.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("kubectl get " + what + " printed no JSON: " + e.getMessage());
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("items") instanceof List<?> items)) {
            throw new IllegalArgumentException("kubectl get " + what + " printed no list of items");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object i : items) out.add(map(i));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
