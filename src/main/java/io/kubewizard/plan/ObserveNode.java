package io.kubewizard.plan;

import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.plan.Observed.EtcdMember;
import io.kubewizard.plan.Observed.NodeReport;
import io.kubewizard.plan.Observed.NodeView;
import io.kubewizard.plan.Observed.PodView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads what a host is in the cluster: its kubelet and kubeadm versions, whether it joined, and,
 * from a control plane, the cluster's Nodes (as its API server lists them) and, where etcd runs,
 * the etcd members. Read-only, and harmless on a host with nothing installed yet: every command
 * prints nothing there and exits 0.
 *
 * @param nodes   ask the API server for the Nodes (control planes)
 * @param etcd    ask the local etcd for its members (stacked control planes, external etcd hosts)
 * @param runtime whose CRI socket crictl reaches etcd's container through
 */
public record ObserveNode(boolean nodes, boolean etcd, RuntimeType runtime) implements Reading<NodeReport> {

    static final String KUBELET_VERSION = "kubelet --version 2>/dev/null || true";
    static final String KUBEADM_VERSION = "kubeadm version -o short 2>/dev/null || true";
    static final String FILES = "for f in " + Paths.KUBELET_CONF + " " + Paths.API_SERVER_MANIFEST
            + "; do test -f \"$f\" && echo \"$f\"; done; true";
    static final String SERVER_VERSION = "if test -f " + Paths.ADMIN_CONF + "; then " + Paths.KUBECTL
            + " version -o json 2>/dev/null || echo " + "unavailable" + "; fi";
    static final String SYSTEM_PODS = "if test -f " + Paths.ADMIN_CONF + "; then " + Paths.KUBECTL
            + " get pods -n kube-system -l tier=control-plane -o json 2>/dev/null || echo " + "unavailable" + "; fi";
    /** Printed instead of an answer when the program that should answer did not. */
    static final String UNAVAILABLE = "unavailable";

    public String id() { return "node"; }

    public List<String> commands() {
        List<String> c = new ArrayList<>(List.of(KUBELET_VERSION, KUBEADM_VERSION, FILES));
        if (nodes) {
            c.add("if test -f " + Paths.ADMIN_CONF + "; then " + Paths.KUBECTL + " get nodes -o json 2>/dev/null || echo "
                    + UNAVAILABLE + "; fi");
            c.add(SERVER_VERSION);
            c.add(SYSTEM_PODS);
        }
        if (etcd) {
            c.add("if command -v crictl >/dev/null 2>&1 && test -n \"$( (" + Etcdctl.container(runtime) + ") 2>/dev/null)\"; "
                    + "then " + Etcdctl.run(runtime, "member list -w simple") + " 2>/dev/null || echo " + UNAVAILABLE + "; fi");
        }
        return c;
    }

    public NodeReport parse(List<String> outputs) {
        if (outputs.size() != commands().size()) {
            throw new IllegalArgumentException("the observe step ran " + outputs.size() + " commands, not " + commands().size());
        }
        String kubelet = version(outputs.get(0));
        String kubeadm = version(outputs.get(1));
        List<String> files = outputs.get(2).lines().map(String::strip).toList();
        int next = 3;
        List<NodeView> nodeList = nodes ? nodes(outputs.get(next++)) : null;
        String server = nodes ? serverVersion(outputs.get(next++)) : null;
        List<PodView> pods = nodes ? pods(outputs.get(next++)) : null;
        List<EtcdMember> members = etcd ? members(outputs.get(next)) : null;
        return new NodeReport(kubelet, kubeadm, files.contains(Paths.KUBELET_CONF), files.contains(Paths.API_SERVER_MANIFEST),
                nodeList, members, server, pods);
    }

    /** "Kubernetes v1.35.2" or "v1.35.2" as "v1.35.2"; nothing as "". */
    static String version(String text) {
        String t = text.strip();
        int v = t.lastIndexOf(' ');
        return v >= 0 ? t.substring(v + 1) : t;
    }

    /** {@code kubectl get nodes -o json}; null when there was no admin.conf or the API server did not answer. */
    @SuppressWarnings("unchecked")
    static List<NodeView> nodes(String text) {
        Object doc = json(text, "kubectl get nodes");
        if (doc == null) return null;
        List<NodeView> out = new ArrayList<>();
        if (!(doc instanceof Map<?, ?> list) || !(list.get("items") instanceof List<?> items)) {
            throw new IllegalArgumentException("kubectl get nodes printed no list of items");
        }
        for (Object item : items) {
            Map<String, Object> node = (Map<String, Object>) item;
            Map<String, Object> meta = map(node.get("metadata"));
            Map<String, Object> spec = map(node.get("spec"));
            Map<String, Object> status = map(node.get("status"));
            Map<String, Object> labels = map(meta.get("labels"));
            boolean ready = false;
            if (status.get("conditions") instanceof List<?> conditions) {
                for (Object c : conditions) {
                    Map<String, Object> cond = map(c);
                    if ("Ready".equals(cond.get("type"))) ready = "True".equals(cond.get("status"));
                }
            }
            String kubelet = String.valueOf(map(status.get("nodeInfo")).getOrDefault("kubeletVersion", ""));
            out.add(new NodeView(String.valueOf(meta.get("name")), ready, Boolean.TRUE.equals(spec.get("unschedulable")),
                    kubelet, labels.containsKey("node-role.kubernetes.io/control-plane")));
        }
        return out;
    }

    /** {@code kubectl version -o json}: serverVersion.gitVersion; null when there was no answer. */
    static String serverVersion(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.equals(UNAVAILABLE)) return null;
        Object doc;
        try {
            doc = Json.parse(t);
        } catch (IllegalArgumentException e) {
            // a kubectl that ignores -o json prints "Server Version: v1.35.2"
            for (String line : t.split("\n")) {
                if (line.startsWith("Server Version: ")) return line.substring("Server Version: ".length()).strip();
            }
            return null;
        }
        Object v = map(map(doc).get("serverVersion")).get("gitVersion");
        return v == null ? null : String.valueOf(v);
    }

    /** {@code kubectl get pods -n kube-system -l tier=control-plane -o json}; null when there was no answer. */
    static List<PodView> pods(String text) {
        Object doc = json(text, "kubectl get pods");
        if (doc == null) return null;
        List<PodView> out = new ArrayList<>();
        if (!(map(doc).get("items") instanceof List<?> items)) return out;
        for (Object item : items) {
            Map<String, Object> meta = map(map(item).get("metadata"));
            Map<String, Object> status = map(map(item).get("status"));
            boolean ready = false;
            if (status.get("conditions") instanceof List<?> conditions) {
                for (Object c : conditions) {
                    if ("Ready".equals(map(c).get("type"))) ready = "True".equals(map(c).get("status"));
                }
            }
            out.add(new PodView(String.valueOf(meta.get("name")), String.valueOf(map(map(item).get("spec")).get("nodeName")),
                    String.valueOf(map(meta.get("labels")).getOrDefault("component", "")), ready));
        }
        return out;
    }

    /** A command's JSON answer; null when it gave none (nothing to ask, or {@link #UNAVAILABLE}). */
    private static Object json(String text, String command) {
        String t = text.strip();
        if (t.isEmpty() || t.equals(UNAVAILABLE)) return null;
        try {
            return Json.parse(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(command + " printed no JSON: " + e.getMessage());
        }
    }

    /** {@code etcdctl member list -w simple}: "id, started|unstarted, name, peer URLs, client URLs[, learner]". */
    static List<EtcdMember> members(String text) {
        String t = text.strip();
        if (t.isEmpty() || t.equals(UNAVAILABLE)) return null;
        List<EtcdMember> out = new ArrayList<>();
        for (String line : t.split("\n")) {
            String[] f = line.strip().split(",\\s*");
            if (f.length < 4) throw new IllegalArgumentException("etcdctl member list printed '" + line.strip() + "'");
            out.add(new EtcdMember(f[0], f[2], f[3], f[1].equals("started")));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
