package io.kubewizard.answers;

import io.kubewizard.answers.Problem.Location;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict reader over SnakeYAML's composed node tree. Every read records where the value stood
 * (for messages that name file:line:col), every problem is collected instead of thrown, and
 * {@link Obj#done()} turns keys nobody asked for into "unknown key" errors with the closest known key.
 */
final class YamlTree {
    final String file;
    final List<Problem> problems = new ArrayList<>();
    final Map<String, Location> locations = new HashMap<>();

    YamlTree(String file) { this.file = file; }

    Location loc(Node node) { return loc(node.getStartMark()); }

    Location loc(Mark mark) {
        return mark == null ? null : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    void error(String field, Node where, String message) {
        problems.add(Problem.error(field, message).at(where == null ? null : loc(where)));
    }

    static String join(String path, String key) { return path.isEmpty() ? key : path + "." + key; }

    static String describe(Node node) {
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        ScalarNode s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) return "nothing";
        return "'" + s.getValue() + "'";
    }

    static boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
    }

    /** A mapping being read; {@code node} is null when the key was absent (all defaults). */
    final class Obj {
        YamlTree tree() { return YamlTree.this; }
        final String path;
        final Node node;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
        private final Set<String> known = new java.util.LinkedHashSet<>();

        Obj(String path, Node node) {
            this.path = path;
            this.node = node;
            if (node == null) return;
            locations.putIfAbsent(path, loc(node));
            if (!(node instanceof MappingNode m)) {
                error(path, node, "expected a mapping, got " + describe(node));
                return;
            }
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    error(path, t.getKeyNode(), "keys must be plain strings, got " + describe(t.getKeyNode()));
                    continue;
                }
                if (entries.containsKey(k.getValue())) {
                    error(join(path, k.getValue()), k, "duplicate key '" + k.getValue() + "'");
                    continue;
                }
                entries.put(k.getValue(), t);
            }
        }

        /** The value node of a key (null when absent or YAML null); declares the key as known. */
        Node get(String key) {
            known.add(key);
            NodeTuple t = entries.get(key);
            if (t == null) return null;
            String p = join(path, key);
            locations.put(p, loc(t.getValueNode()));
            locations.putIfAbsent(p + "#key", loc(t.getKeyNode()));
            return isNull(t.getValueNode()) ? null : t.getValueNode();
        }

        boolean has(String key) { return entries.containsKey(key); }

        String str(String key, String def) {
            Node n = get(key);
            if (n == null) return def;
            if (n instanceof ScalarNode s) return s.getValue();
            error(join(path, key), n, "expected a string, got " + describe(n));
            return def;
        }

        int integer(String key, int def, int min, int max) {
            Node n = get(key);
            if (n == null) return def;
            String p = join(path, key);
            if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
                try {
                    int v = Integer.parseInt(s.getValue().replace("_", ""));
                    if (v >= min && v <= max) return v;
                } catch (NumberFormatException ignored) {
                    // out of int range: falls through to the message below
                }
            }
            error(p, n, "expected an integer from " + min + " to " + max + ", got " + describe(n));
            return def;
        }

        Integer optInteger(String key, int min, int max) {
            if (get(key) == null) return null;
            return integer(key, min, min, max);
        }

        boolean bool(String key, boolean def) {
            Node n = get(key);
            if (n == null) return def;
            if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                String v = s.getValue().toLowerCase(java.util.Locale.ROOT);
                if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
            }
            error(join(path, key), n, "expected true or false, got " + describe(n));
            return def;
        }

        Boolean optBool(String key) {
            if (get(key) == null) return null;
            return bool(key, false);
        }

        <E extends Enum<E> & Spec.Named> E enumOf(String key, Class<E> type, E def) {
            Node n = get(key);
            if (n == null) return def;
            return enumValue(join(path, key), n, type, def);
        }

        Obj obj(String key) { return new Obj(join(path, key), get(key)); }

        List<String> strList(String key, List<String> def) {
            Node n = get(key);
            if (n == null) return def;
            String p = join(path, key);
            if (!(n instanceof SequenceNode seq)) {
                error(p, n, "expected a list of strings, got " + describe(n));
                return def;
            }
            List<String> out = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) {
                String ip = p + "[" + i++ + "]";
                locations.put(ip, loc(item));
                if (item instanceof ScalarNode s && !isNull(s)) out.add(s.getValue());
                else error(ip, item, "expected a string, got " + describe(item));
            }
            return out;
        }

        <T> List<T> list(String key, Function<Item, T> each) {
            Node n = get(key);
            if (n == null) return List.of();
            String p = join(path, key);
            if (!(n instanceof SequenceNode seq)) {
                error(p, n, "expected a list, got " + describe(n));
                return List.of();
            }
            List<T> out = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) {
                String ip = p + "[" + i + "]";
                locations.put(ip, loc(item));
                T v = each.apply(new Item(ip, item, i++));
                if (v != null) out.add(v);
            }
            return out;
        }

        /** A string-to-string mapping such as labels or extraArgs; scalar values of any type are kept as text. */
        Map<String, String> strMap(String key) {
            Obj o = obj(key);
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, NodeTuple> e : o.entries.entrySet()) {
                o.known.add(e.getKey());
                Node v = e.getValue().getValueNode();
                String p = join(o.path, e.getKey());
                locations.put(p, loc(v));
                if (v instanceof ScalarNode s && !isNull(s)) out.put(e.getKey(), s.getValue());
                else error(p, v, "expected a string value, got " + describe(v));
            }
            return out;
        }

        Map<String, Boolean> boolMap(String key) {
            Obj o = obj(key);
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (String k : new ArrayList<>(o.entries.keySet())) out.put(k, o.bool(k, false));
            return out;
        }

        /** A free-form mapping passed through to a Kubernetes config (kubelet, kubeProxy). */
        Map<String, Object> anyMap(String key) {
            Node n = get(key);
            if (n == null) return new LinkedHashMap<>();
            if (!(n instanceof MappingNode)) {
                error(join(path, key), n, "expected a mapping, got " + describe(n));
                return new LinkedHashMap<>();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) plain(join(path, key), n);
            return m;
        }

        /** Reports every key that no reader asked for, with the closest known key. */
        void done() {
            for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
                if (known.contains(e.getKey())) continue;
                String hint = Suggest.closest(e.getKey(), known);
                String msg = "unknown key '" + e.getKey() + "'"
                        + (hint != null ? ", did you mean '" + hint + "'?" : "; known keys: " + String.join(", ", known));
                error(join(path, e.getKey()), e.getValue().getKeyNode(), msg);
            }
        }
    }

    /** One element of a list. */
    record Item(String path, Node node, int index) {}

    <E extends Enum<E> & Spec.Named> E enumValue(String path, Node n, Class<E> type, E def) {
        if (n instanceof ScalarNode s) {
            for (E e : type.getEnumConstants()) if (e.yaml().equals(s.getValue())) return e;
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) allowed.add(e.yaml());
        error(path, n, "expected one of " + String.join(", ", allowed) + ", got " + describe(n));
        return def;
    }

    /** Converts a node to plain Java values (Map, List, String, Long, Double, Boolean, null). */
    Object plain(String path, Node n) {
        if (n instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    error(path, t.getKeyNode(), "keys must be plain strings");
                    continue;
                }
                String p = join(path, k.getValue());
                if (out.containsKey(k.getValue())) {
                    error(p, k, "duplicate key '" + k.getValue() + "'");
                    continue;
                }
                locations.put(p, loc(t.getValueNode()));
                out.put(k.getValue(), plain(p, t.getValueNode()));
            }
            return out;
        }
        if (n instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            for (Node item : s.getValue()) out.add(plain(path + "[" + out.size() + "]", item));
            return out;
        }
        ScalarNode s = (ScalarNode) n;
        Tag tag = s.getTag();
        String v = s.getValue();
        try {
            if (tag.equals(Tag.NULL)) return null;
            if (tag.equals(Tag.BOOL)) return Boolean.parseBoolean(v.toLowerCase(java.util.Locale.ROOT));
            if (tag.equals(Tag.INT)) return Long.parseLong(v.replace("_", ""));
            if (tag.equals(Tag.FLOAT)) return Double.parseDouble(v.replace("_", ""));
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }

    /** Finds the closest recorded location for a field path, walking up to its parents. */
    Location locate(String field) {
        String p = field;
        while (p != null && !p.isEmpty()) {
            Location l = locations.get(p);
            if (l != null) return l;
            int dot = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = dot < 0 ? null : p.substring(0, dot);
        }
        return locations.get("");
    }

    static <T> Collection<T> nonNull(Collection<T> c) { return c == null ? List.of() : c; }
}
