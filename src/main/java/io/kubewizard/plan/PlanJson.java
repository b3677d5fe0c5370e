package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A plan for programs: the same content as {@link PlanText}, every field, as indented JSON. */
public final class PlanJson {
    private PlanJson() {}

    public static String format(Plan plan) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("cluster", plan.cluster());
        doc.put("workflow", plan.workflow());
        Change c = plan.change();
        if (c != null) {
            Map<String, Object> change = new LinkedHashMap<>();
            change.put("lead", plan.lead());
            change.put("clusterExists", c.exists());
            change.put("joining", c.joining().stream().map(h -> (Object) h.name()).toList());
            change.put("leaving", c.leaving().stream().map(h -> (Object) h.name()).toList());
            change.put("forceRemove", new ArrayList<Object>(c.forced()));
            change.put("unmanaged", new ArrayList<Object>(c.unmanaged()));
            change.put("refusals", new ArrayList<Object>(c.refusals()));
            doc.put("change", change);
        }
        List<Object> phases = new ArrayList<>();
        for (Phase p : plan.phases()) {
            Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("id", p.id());
            phase.put("title", p.title());
            phase.put("steps", p.steps().stream().map(PlanJson::step).toList());
            phases.add(phase);
        }
        doc.put("phases", phases);
        return pretty(doc);
    }

    /**
     * Any JSON value (null, Boolean, Integer, Long, String, List, Map with String keys) indented by two
     * spaces, with a final newline: the form every {@code --format json} output takes (docs/json-output.md).
     */
    public static String pretty(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.append('\n').toString();
    }

    private static Map<String, Object> step(Step s) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("key", s.key());
        step.put("id", s.id());
        step.put("host", s.host());
        step.put("title", s.title());
        step.put("idempotent", s.idempotent());
        step.put("check", s.check());
        Map<String, Object> run = new LinkedHashMap<>();
        s.run().forEach((family, commands) -> run.put(family.name().toLowerCase(Locale.ROOT), commands));
        step.put("run", run);
        List<Object> uploads = new ArrayList<>();
        for (RenderedFile f : s.uploads()) {
            Map<String, Object> upload = new LinkedHashMap<>();
            upload.put("path", f.path());
            upload.put("mode", f.modeString());
            upload.put("os", f.os().name().toLowerCase(Locale.ROOT));
            if (!f.arch().isEmpty()) upload.put("arch", f.arch());
            upload.put("secret", f.secret());
            uploads.add(upload);
        }
        step.put("uploads", uploads);
        step.put("downloads", s.downloads());
        step.put("dependsOn", s.dependsOn());
        if (s.reads() != null) step.put("reads", s.reads().id());
        if (s.judge() != null) step.put("judge", s.judge().name().toLowerCase(Locale.ROOT));
        if (s.always()) step.put("always", true);
        return step;
    }

    private static void write(StringBuilder sb, Object value, String indent) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            sb.append(value);
        } else if (value instanceof String s) {
            string(sb, s);
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            int i = 0;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sb.append(indent).append("  ");
                string(sb, (String) e.getKey());
                sb.append(": ");
                write(sb, e.getValue(), indent + "  ");
                sb.append(++i < map.size() ? ",\n" : "\n");
            }
            sb.append(indent).append('}');
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < list.size(); i++) {
                sb.append(indent).append("  ");
                write(sb, list.get(i), indent + "  ");
                sb.append(i + 1 < list.size() ? ",\n" : "\n");
            }
            sb.append(indent).append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass());
        }
    }

    private static void string(StringBuilder sb, String s) {
        io.kubewizard.json.JsonString.append(sb, s);
    }
}
