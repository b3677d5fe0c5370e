package io.kubewizard.run;

import io.kubewizard.plan.Facts;
import io.kubewizard.plan.Observed;
import io.kubewizard.plan.Observed.EtcdMember;
import io.kubewizard.plan.Observed.HostState;
import io.kubewizard.plan.Observed.NodeReport;
import io.kubewizard.plan.Observed.NodeView;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The observed cluster as JSON: in the journal's run line (a resume plans from what the run began
 * with) and in {@code observed.json}, the last probe's record that previews plan from.
 */
public final class ObservedJson {
    private ObservedJson() {}

    public static Map<String, Object> toJson(Observed o) {
        Map<String, Object> hosts = new LinkedHashMap<>();
        o.hosts().forEach((name, s) -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("reachable", s.reachable());
            if (s.problem() != null) h.put("problem", s.problem());
            if (s.facts() != null) h.put("facts", s.facts().toJson());
            if (s.report() != null) h.put("node", report(s.report()));
            hosts.put(name, h);
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hosts", hosts);
        return m;
    }

    private static Map<String, Object> report(NodeReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kubeletVersion", r.kubeletVersion());
        m.put("kubeadmVersion", r.kubeadmVersion());
        m.put("kubeletConf", r.kubeletConf());
        m.put("apiServer", r.apiServer());
        if (r.nodes() != null) {
            List<Object> nodes = new ArrayList<>();
            for (NodeView n : r.nodes()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", n.name());
                v.put("ready", n.ready());
                v.put("unschedulable", n.unschedulable());
                v.put("kubeletVersion", n.kubeletVersion());
                v.put("controlPlane", n.controlPlane());
                nodes.add(v);
            }
            m.put("nodes", nodes);
        }
        if (r.etcdMembers() != null) {
            List<Object> members = new ArrayList<>();
            for (EtcdMember e : r.etcdMembers()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", e.id());
                v.put("name", e.name());
                v.put("peerUrl", e.peerUrl());
                v.put("started", e.started());
                members.add(v);
            }
            m.put("etcdMembers", members);
        }
        if (r.serverVersion() != null) m.put("serverVersion", r.serverVersion());
        if (r.systemPods() != null) {
            List<Object> pods = new ArrayList<>();
            for (Observed.PodView p : r.systemPods()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", p.name());
                v.put("node", p.node());
                v.put("component", p.component());
                v.put("ready", p.ready());
                pods.add(v);
            }
            m.put("systemPods", pods);
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Observed fromJson(Map<String, Object> m) {
        Map<String, HostState> hosts = new LinkedHashMap<>();
        ((Map<String, Object>) m.get("hosts")).forEach((name, value) -> {
            Map<String, Object> h = (Map<String, Object>) value;
            Facts facts = h.get("facts") instanceof Map<?, ?> f ? Facts.fromJson((Map<String, Object>) f) : null;
            NodeReport report = h.get("node") instanceof Map<?, ?> n ? report((Map<String, Object>) n) : null;
            hosts.put(name, new HostState((Boolean) h.get("reachable"), (String) h.get("problem"), facts, report));
        });
        return new Observed(hosts);
    }

    @SuppressWarnings("unchecked")
    private static NodeReport report(Map<String, Object> m) {
        List<NodeView> nodes = null;
        if (m.get("nodes") instanceof List<?> list) {
            nodes = new ArrayList<>();
            for (Object o : list) {
                Map<String, Object> v = (Map<String, Object>) o;
                nodes.add(new NodeView((String) v.get("name"), (Boolean) v.get("ready"), (Boolean) v.get("unschedulable"),
                        (String) v.get("kubeletVersion"), (Boolean) v.get("controlPlane")));
            }
        }
        List<EtcdMember> members = null;
        if (m.get("etcdMembers") instanceof List<?> list) {
            members = new ArrayList<>();
            for (Object o : list) {
                Map<String, Object> v = (Map<String, Object>) o;
                members.add(new EtcdMember((String) v.get("id"), (String) v.get("name"), (String) v.get("peerUrl"),
                        (Boolean) v.get("started")));
            }
        }
        List<Observed.PodView> pods = null;
        if (m.get("systemPods") instanceof List<?> list) {
            pods = new ArrayList<>();
            for (Object o : list) {
                Map<String, Object> v = (Map<String, Object>) o;
                pods.add(new Observed.PodView((String) v.get("name"), (String) v.get("node"), (String) v.get("component"),
                        (Boolean) v.get("ready")));
            }
        }
        return new NodeReport((String) m.get("kubeletVersion"), (String) m.get("kubeadmVersion"),
                (Boolean) m.get("kubeletConf"), (Boolean) m.get("apiServer"), nodes, members,
                (String) m.get("serverVersion"), pods);
    }
}
