package io.kubewizard.answers;

import io.kubewizard.answers.AnswersShape.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Schema (draft 2020-12) of the answers file, made from {@link AnswersShape}, which records
 * the loader's own reader: what the loader refuses for its shape (an unknown key, a wrong type, a
 * value outside an enum or a range) the schema refuses too. The loader's other rules (names,
 * subnets, how fields tie together) are {@link Validator}'s and stay out of the schema. Editors
 * (yaml-language-server in VS Code, Neovim, JetBrains) complete and check an answers file with it;
 * {@code kubewizard schema} prints it, and the file name below is what saved answers files point to.
 */
public final class AnswersSchema {
    private AnswersSchema() {}

    /** Where saved answers files look for the schema: beside them, as {@code kubewizard schema > FILE} makes it. */
    public static final String FILE_NAME = "kubewizard-answers.schema.json";
    /** The first line of every answers file kubewizard writes, read by yaml-language-server. */
    public static final String MODELINE = "# yaml-language-server: $schema=" + FILE_NAME;
    static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

    /** What the loader reads any scalar as text from: a YAML string, number or boolean. */
    private static Map<String, Object> scalar() {
        return Map.of("type", List.of("string", "number", "boolean"));
    }

    public static String json() { return Holder.JSON; }

    private static final class Holder {
        static final String JSON = write(schema()) + "\n";
    }

    static Map<String, Object> schema() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("$schema", DIALECT);
        root.put("title", "kubewizard answers file (" + Spec.API_VERSION + ")");
        root.put("description", "Every answer the kubewizard wizard asks, one YAML document; see docs/answers.md. "
                + "Made by `kubewizard schema` from the loader's own reader.");
        root.putAll(of(AnswersShape.answers()));
        return root;
    }

    private static Map<String, Object> of(Field field) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (field instanceof Section section) {
            s.put("type", "object");
            Map<String, Object> properties = new LinkedHashMap<>();
            section.fields().forEach((k, v) -> properties.put(k, of(v)));
            s.put("properties", properties);
            s.put("additionalProperties", false);
        } else if (field instanceof Text t) {
            s.putAll(scalar());
            if (t.def() != null) s.put("default", t.def());
        } else if (field instanceof Constant c) {
            s.put("const", c.value());
            s.put("default", c.value());
        } else if (field instanceof Whole w) {
            s.put("type", "integer");
            s.put("minimum", w.min());
            s.put("maximum", w.max());
            if (w.def() != null) s.put("default", w.def());
        } else if (field instanceof Flag f) {
            s.put("type", "boolean");
            if (f.def() != null) s.put("default", f.def());
        } else if (field instanceof OneOf o) {
            s.put("enum", o.values());
            if (o.def() != null) s.put("default", o.def());
        } else if (field instanceof Distinct d) {
            s.put("type", "array");
            s.put("items", Map.of("enum", d.values()));
            s.put("uniqueItems", true);
            s.put("default", List.of());
        } else if (field instanceof Texts t) {
            s.put("type", "array");
            s.put("items", scalar());
            s.put("default", t.def());
        } else if (field instanceof ListOf l) {
            s.put("type", "array");
            s.put("items", of(l.item()));
            s.put("default", List.of());
        } else if (field instanceof MapOf m) {
            s.put("type", "object");
            s.put("additionalProperties", of(m.item()));
            s.put("default", Map.of());
        } else if (field instanceof TextMap) {
            s.put("type", "object");
            s.put("additionalProperties", scalar());
            s.put("default", Map.of());
        } else if (field instanceof FlagMap) {
            s.put("type", "object");
            s.put("additionalProperties", Map.of("type", "boolean"));
            s.put("default", Map.of());
        } else if (field instanceof Free) {
            s.put("type", "object");
            s.put("default", Map.of());
        }
        return s;
    }

    /** Indented JSON (RFC 8259) of maps, lists, strings, integers and booleans, keys in their order. */
    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, String indent) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append("{}");
                return;
            }
            List<String> parts = new ArrayList<>();
            String inner = indent + "  ";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                StringBuilder part = new StringBuilder(inner);
                string(part, (String) e.getKey());
                part.append(": ");
                write(part, e.getValue(), inner);
                parts.add(part.toString());
            }
            sb.append("{\n").append(String.join(",\n", parts)).append('\n').append(indent).append('}');
        } else if (value instanceof List<?> list) {
            // short lists of plain values on one line: "type", "enum", "default"
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) sb.append(", ");
                write(sb, list.get(i), indent);
            }
            sb.append(']');
        } else if (value instanceof String str) {
            string(sb, str);
        } else if (value instanceof Integer || value instanceof Boolean) {
            sb.append(value);
        } else {
            throw new IllegalArgumentException("not a schema value: " + value);
        }
    }

    private static void string(StringBuilder sb, String s) {
        io.kubewizard.json.JsonString.append(sb, s);
    }
}
