package io.kubewizard.plan;

import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.plan.Observed.PodView;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether one control plane is healthy again after its static pods restarted: its API server,
 * controller manager and scheduler (and, with stacked etcd, its etcd) present as mirror pods and
 * Ready, and its etcd member answering its health check. The first command waits (up to two
 * minutes) until no condition of those pods is False before it answers; the result is the list of
 * what is still wrong, empty when the node is healthy.
 *
 * @param node    the control plane's Node name
 * @param stacked whether an etcd member runs on it
 */
record ControlPlaneHealth(String node, boolean stacked, RuntimeType runtime) implements Reading<List<String>> {
    static final List<String> COMPONENTS = List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler");

    public String id() { return "control-plane-health"; }

    public List<String> commands() {
        String get = Paths.KUBECTL + " get pods -n kube-system -l tier=control-plane --field-selector spec.nodeName="
                + Shell.quote(node) + " -o json";
        List<String> out = new ArrayList<>();
        out.add("for try in $(seq 1 120); do p=$(" + get + " 2>/dev/null) && test -n \"$p\" && ! printf '%s' \"$p\" | grep -q "
                + "'\"status\": *\"False\"' && break; sleep 1; done; " + get);
        if (stacked) {
            out.add("for try in $(seq 1 60); do " + Etcdctl.run(runtime, "endpoint health") + " 2>&1 && exit 0; sleep 1; done; "
                    + Etcdctl.run(runtime, "endpoint health") + " 2>&1 || true");
        }
        return out;
    }

    public List<String> parse(List<String> outputs) {
        List<String> problems = new ArrayList<>();
        List<PodView> pods = ObserveNode.pods(outputs.get(0));
        if (pods == null) pods = List.of();
        List<String> wanted = new ArrayList<>(COMPONENTS);
        if (stacked) wanted.add(0, "etcd");
        for (String c : wanted) {
            PodView pod = pods.stream().filter(p -> p.component().equals(c) && p.node().equals(node)).findFirst().orElse(null);
            if (pod == null) problems.add(c + " has no pod on " + node);
            else if (!pod.ready()) problems.add(c + " on " + node + " is not Ready");
        }
        if (stacked && !outputs.get(1).contains("is healthy")) {
            String said = outputs.get(1).strip().lines().reduce((a, b) -> b).orElse("no answer");
            problems.add("etcd on " + node + " is not healthy: " + said);
        }
        return problems;
    }
}
