package io.kubewizard.plan;

import io.kubewizard.plan.Observed.PodView;

import java.util.ArrayList;
import java.util.List;

/**
 * Every kube-system pod Ready. The command waits (up to two minutes) until no pod condition of the
 * namespace is False before it answers, as {@link ControlPlaneHealth} does for one node; the result
 * is the list of the pods that are not Ready, empty when all are.
 */
record KubeSystemPods() implements Reading<List<String>> {
    public String id() { return "kube-system-pods"; }

    public List<String> commands() {
        String get = Paths.KUBECTL + " get pods -n kube-system -o json";
        return List.of("for try in $(seq 1 120); do p=$(" + get + " 2>/dev/null) && test -n \"$p\" && ! printf '%s' \"$p\" | grep -q "
                + "'\"status\": *\"False\"' && break; sleep 1; done; " + get);
    }

    public List<String> parse(List<String> outputs) {
        List<PodView> pods = ObserveNode.pods(outputs.get(0));
        List<String> problems = new ArrayList<>();
        if (pods == null) return List.of("kubectl listed no kube-system pods");
        for (PodView p : pods) {
            if (!p.ready()) problems.add("pod kube-system/" + p.name() + (p.node().equals("null") ? " (not scheduled)"
                    : " on " + p.node()) + " is not Ready");
        }
        return problems;
    }
}
