package io.kubewizard.answers;

import io.kubewizard.answers.Problem.Location;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A strict reader over SnakeYAML's composed node tree. Every read records where the value stood
 * (for messages that name file:line:col), every problem is collected instead of thrown, and
 * {@link Obj#done()} turns keys nobody asked for into "unknown key" errors with the closest known key.
 * A key written with no value (YAML null) is a wrong type like any other: leaving the key out is
 * how a file asks for the default.
 */
final class YamlTree {
    /** How many nodes aliases may repeat in total; more is an alias bomb, not an answers file. */
    static final int MAX_REPEATED_NODES = 10_000;

    final String file;
    final List<Problem> problems = new ArrayList<>();
    /** Field path to where it stands: the value of a scalar, the key of a mapping or list. */
    final Map<String, Location> locations = new HashMap<>();
    /**
     * A list element's path in the spec to its path in the file ("hosts[2]" to "hosts[3]"), for lists
     * where an unreadable element was left out of the spec and the indexes no longer agree.
     */
    private final Map<String, String> fileElements = new HashMap<>();

    /**
     * Non-null while the tree records the shape the reader asks for instead of reading a file
     * ({@link #recording}): every read below records its key, type, range, allowed values and default.
     */
    private final AnswersShape.Recorder recorder;

    YamlTree(String file) { this(file, null); }

    private YamlTree(String file, AnswersShape.Recorder recorder) {
        this.file = file;
        this.recorder = recorder;
    }

    /**
     * A tree that records the shape of what is read from it: read over an empty document, every key is
     * absent and gets its default, and each list's reader is run once on a stand-in element so the
     * element's shape is recorded too.
     */
    static YamlTree recording(AnswersShape.Recorder recorder) { return new YamlTree("(shape)", recorder); }

    private void record(String path, AnswersShape.Field field) {
        if (recorder != null) recorder.put(path, field);
    }

    Location loc(Node node) { return loc(node.getStartMark()); }

    Location loc(Mark mark) {
        return mark == null ? null : new Location(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** An error with its {@link ProblemTexts} code and arguments. */
    void error(String field, Node where, String code, Object... args) {
        problems.add(Problem.coded(Problem.Severity.ERROR, field, code, args).at(where == null ? null : loc(where)));
    }

    /**
     * "expected WHAT, got WHAT THE FILE HAS": the code is loader.expected.{@code what}.{@link #kind}, its
     * arguments {@code whatArgs} then the value when the file has one.
     */
    void expected(String field, Node got, String what, Object... whatArgs) {
        List<Object> args = new ArrayList<>(List.of(whatArgs));
        if (got instanceof ScalarNode s && !isNull(s)) args.add(Quote.of(s.getValue()));
        error(field, got, "loader.expected." + what + "." + kind(got), args.toArray());
    }

    static String join(String path, String key) { return path.isEmpty() ? key : path + "." + key; }

    /** What the file has where something else was expected, as the last part of a loader.expected code. */
    static String kind(Node node) {
        if (node instanceof MappingNode) return "mapping";
        if (node instanceof SequenceNode) return "list";
        ScalarNode s = (ScalarNode) node;
        if (s.getTag().equals(Tag.NULL)) return "nothing";
        return s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN ? "value" : "string";
    }

    /**
     * The 1-based line and column of a char index, counted as SnakeYAML counts its marks (line breaks
     * \n, \r\n, a lone \r, U+0085, U+2028, U+2029; columns in code points), so every location agrees.
     */
    static Location locationOf(String file, String text, int index) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < index; ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            boolean crlf = cp == '\r' && i < text.length() && text.charAt(i) == '\n';
            if (!crlf && (cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029)) {
                line++;
                column = 1;
            } else if (!crlf) {
                column++;
            }
        }
        return new Location(file, line, column);
    }

    /** The index of the first code point YAML does not allow in a stream (SnakeYAML's "printable"), or -1. */
    static int firstNonPrintable(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean printable = (c >= 0x20 && c <= 0x7E) || c == 0x9 || c == 0xA || c == 0xD || c == 0x85
                    || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!printable) return i;
            i += Character.charCount(c);
        }
        return -1;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    /**
     * Refuses node graphs that reading would blow up on: an alias inside the node it names (a cycle,
     * endless to read) or aliases that repeat more than {@link #MAX_REPEATED_NODES} nodes (a
     * "billion laughs" bomb). Null when the graph is fine.
     */
    Problem aliasAbuse(Node root) {
        return expand(root, null, new IdentityHashMap<>(), new int[1]);
    }

    /**
     * {@code seen} maps each node visited to whether it is on the current path; {@code repeated} is the
     * outermost node on the path that an alias repeats (the anchored node a bomb blames), or null.
     */
    private Problem expand(Node n, Node repeated, Map<Node, Boolean> seen, int[] repeats) {
        Boolean onPath = seen.get(n);
        if (Boolean.TRUE.equals(onPath)) {
            return Problem.coded(Problem.Severity.ERROR, "", "loader.yaml.recursiveAlias").at(loc(n));
        }
        if (onPath != null) {
            if (repeated == null) repeated = n;
            if (++repeats[0] > MAX_REPEATED_NODES) {
                return Problem.coded(Problem.Severity.ERROR, "", "loader.yaml.aliasBomb", MAX_REPEATED_NODES)
                        .at(loc(repeated));
            }
        }
        if (n instanceof ScalarNode) {
            seen.putIfAbsent(n, false);
            return null;
        }
        seen.put(n, true);
        List<Node> children = new ArrayList<>();
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                children.add(t.getKeyNode());
                children.add(t.getValueNode());
            }
        } else if (n instanceof SequenceNode s) {
            children.addAll(s.getValue());
        }
        for (Node child : children) {
            Problem p = expand(child, repeated, seen, repeats);
            if (p != null) return p;
        }
        seen.put(n, false);
        return null;
    }

    /** A mapping being read; {@code node} is null when the key was absent (all defaults). */
    final class Obj {
        YamlTree tree() { return YamlTree.this; }
        final String path;
        final Node node;
        private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
        private final Set<String> known = new LinkedHashSet<>();

        Obj(String path, Node node) {
            this.path = path;
            this.node = node;
            record(path, new AnswersShape.Section());
            if (node == null) return;
            locations.putIfAbsent(path, loc(node));
            if (!(node instanceof MappingNode m)) {
                expected(path, node, "mapping");
                return;
            }
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    expected(path, t.getKeyNode(), "key");
                    continue;
                }
                if (k.getTag().equals(Tag.MERGE)) {
                    error(path, k, "loader.key.merge");
                    continue;
                }
                if (entries.containsKey(k.getValue())) {
                    error(join(path, k.getValue()), k, "loader.key.duplicate", Quote.of(k.getValue()));
                    continue;
                }
                entries.put(k.getValue(), t);
            }
        }

        /** Whether the mapping has the key (declares nothing). */
        boolean has(String key) { return entries.containsKey(key); }

        /** The value node of a key, null only when the key is absent; declares the key as known. */
        Node get(String key) {
            known.add(key);
            NodeTuple t = entries.get(key);
            if (t == null) return null;
            Node v = t.getValueNode();
            locations.put(join(path, key), loc(v instanceof ScalarNode ? v : t.getKeyNode()));
            return v;
        }

        /** Like {@link #get}, but a key with no value is reported as "expected {@code what}, got nothing". */
        private Node value(String key, String what, Object... whatArgs) {
            Node n = get(key);
            if (n != null && isNull(n)) {
                expected(join(path, key), n, what, whatArgs);
                return null;
            }
            return n;
        }

        String str(String key, String def) {
            record(join(path, key), new AnswersShape.Text(def));
            Node n = value(key, "string");
            if (n == null) return def;
            if (n instanceof ScalarNode s) return s.getValue();
            expected(join(path, key), n, "string");
            return def;
        }

        /**
         * A value the file must spell exactly {@code value} (apiVersion, kind); anything else is the
         * error {@code code} with the expected value and the file's.
         */
        void constant(String key, String value, String code) {
            String v = str(key, value);
            record(join(path, key), new AnswersShape.Constant(value));
            if (!v.equals(value)) tree().error(join(path, key), get(key), code, value, Quote.of(v));
        }

        int integer(String key, int def, int min, int max) {
            return integer(key, (Integer) def, min, max);
        }

        /** {@code def} may be null: a key with no default (a host's ssh override). */
        Integer integer(String key, Integer def, int min, int max) {
            Integer v = optInteger(key, min, max);
            record(join(path, key), new AnswersShape.Whole(def, min, max));
            return v == null ? def : v;
        }

        Integer optInteger(String key, int min, int max) {
            record(join(path, key), new AnswersShape.Whole(null, min, max));
            Node n = value(key, "integer", min, max);
            if (n == null) return null;
            if (n instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
                try {
                    int v = Integer.parseInt(s.getValue().replace("_", ""));
                    if (v >= min && v <= max) return v;
                } catch (NumberFormatException ignored) {
                    // out of int range, or a YAML 1.1 form (0x1F, 1:30) that nobody means for a port
                }
            }
            expected(join(path, key), n, "integer", min, max);
            return null;
        }

        boolean bool(String key, boolean def) {
            return bool(key, (Boolean) def);
        }

        /** {@code def} may be null: a key with no default (a host's ssh override). */
        Boolean bool(String key, Boolean def) {
            Boolean v = optBool(key);
            record(join(path, key), new AnswersShape.Flag(def));
            return v == null ? def : v;
        }

        Boolean optBool(String key) {
            record(join(path, key), new AnswersShape.Flag(null));
            Node n = value(key, "bool");
            if (n == null) return null;
            if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                String v = s.getValue().toLowerCase(java.util.Locale.ROOT);
                if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
            }
            expected(join(path, key), n, "bool");
            return null;
        }

        <E extends Enum<E> & Spec.Named> E enumOf(String key, Class<E> type, E def) {
            record(join(path, key), AnswersShape.OneOf.of(type, def));
            Node n = get(key);
            if (n == null) return def;
            return enumValue(join(path, key), n, type, def);
        }

        Obj obj(String key) { return new Obj(join(path, key), get(key)); }

        List<String> strList(String key, List<String> def) {
            record(join(path, key), new AnswersShape.Texts(def));
            Node n = value(key, "stringList");
            if (n == null) return def;
            String p = join(path, key);
            if (!(n instanceof SequenceNode seq)) {
                expected(p, n, "stringList");
                return def;
            }
            List<String> out = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) {
                String ip = p + "[" + i++ + "]";
                locations.put(ip, loc(item));
                if (item instanceof ScalarNode s && !isNull(s)) out.add(s.getValue());
                else expected(ip, item, "string");
            }
            return out;
        }

        <T> List<T> list(String key, Function<Item, T> each) {
            String p = join(path, key);
            if (recorder != null) {
                record(p, new AnswersShape.ListOf());
                // the element's reader records what an element holds: an empty mapping has every key absent
                each.apply(new Item(p + "[]", new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK), 0));
                return List.of();
            }
            Node n = value(key, "list");
            if (n == null) return List.of();
            if (!(n instanceof SequenceNode seq)) {
                expected(p, n, "list");
                return List.of();
            }
            List<T> out = new ArrayList<>();
            int i = 0;
            for (Node item : seq.getValue()) {
                String ip = p + "[" + i + "]";
                locations.put(ip, loc(item));
                T v = each.apply(new Item(ip, item, i++));
                if (v == null) continue;
                if (out.size() != i - 1) fileElements.put(p + "[" + out.size() + "]", ip);
                out.add(v);
            }
            return out;
        }

        /** A list of distinct values of an enum (a host's roles); one given twice is the error {@code twiceCode}. */
        <E extends Enum<E> & Spec.Named> List<E> distinct(String key, Class<E> type, String twiceCode) {
            if (recorder != null) {
                record(join(path, key), AnswersShape.Distinct.of(type));
                return List.of();
            }
            List<E> out = new ArrayList<>();
            list(key, item -> {
                E e = enumValue(item.path(), item.node(), type, null);
                if (e != null && out.contains(e)) error(item.path(), item.node(), twiceCode, Quote.of(e.yaml()));
                else if (e != null) out.add(e);
                return null;
            });
            return out;
        }

        /** A string-to-string mapping such as labels or extraArgs; scalar values of any type are kept as text. */
        Map<String, String> strMap(String key) {
            Obj o = obj(key);
            record(o.path, new AnswersShape.TextMap());
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, NodeTuple> e : o.entries.entrySet()) {
                o.known.add(e.getKey());
                Node v = e.getValue().getValueNode();
                String p = join(o.path, e.getKey());
                locations.put(p, loc(v));
                if (v instanceof ScalarNode s && !isNull(s)) out.put(e.getKey(), s.getValue());
                else expected(p, v, "stringValue");
            }
            return out;
        }

        /**
         * A mapping whose keys are names the user chooses (registries), each value a mapping that
         * {@code each} reads like any section: its own unknown keys are errors. Recorded as one
         * element shape (path "key{}"), as {@link #list} records "key[]".
         */
        <T> Map<String, T> objMap(String key, java.util.function.BiFunction<String, Obj, T> each) {
            Obj o = obj(key);
            if (recorder != null) {
                record(o.path, new AnswersShape.MapOf());
                each.apply("", new Obj(o.path + "{}", new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK)));
                return Map.of();
            }
            Map<String, T> out = new LinkedHashMap<>();
            for (String k : o.keys()) {
                Obj v = new Obj(join(o.path, k), o.get(k));
                T t = each.apply(k, v);
                v.done();
                if (t != null) out.put(k, t);
            }
            return out;
        }

        /** The keys of a mapping whose keys are names the user chooses (registries): all of them are known. */
        List<String> keys() {
            known.addAll(entries.keySet());
            return new ArrayList<>(entries.keySet());
        }

        Map<String, Boolean> boolMap(String key) {
            Obj o = obj(key);
            record(o.path, new AnswersShape.FlagMap());
            Map<String, Boolean> out = new LinkedHashMap<>();
            for (String k : new ArrayList<>(o.entries.keySet())) out.put(k, o.bool(k, false));
            return out;
        }

        /** A free-form mapping passed through to a Kubernetes config (kubelet, kubeProxy). */
        Map<String, Object> anyMap(String key) {
            record(join(path, key), new AnswersShape.Free());
            Node n = value(key, "mapping");
            if (n == null) return new LinkedHashMap<>();
            if (!(n instanceof MappingNode)) {
                expected(join(path, key), n, "mapping");
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
                Node k = e.getValue().getKeyNode();
                if (hint != null) error(join(path, e.getKey()), k, "loader.key.unknown", Quote.of(e.getKey()), hint);
                else error(join(path, e.getKey()), k, "loader.key.unknownListed", Quote.of(e.getKey()), String.join(", ", known));
            }
        }
    }

    /** One element of a list. */
    record Item(String path, Node node, int index) {}

    <E extends Enum<E> & Spec.Named> E enumValue(String path, Node n, Class<E> type, E def) {
        if (recorder != null) {
            record(path, AnswersShape.OneOf.of(type, def));
            return def;
        }
        if (n instanceof ScalarNode s && !isNull(s)) {
            for (E e : type.getEnumConstants()) if (e.yaml().equals(s.getValue())) return e;
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) allowed.add(e.yaml());
        expected(path, n, "oneOf", String.join(", ", allowed));
        return def;
    }

    /** Converts a node to plain Java values (Map, List, String, Long, Double, Boolean, null). */
    Object plain(String path, Node n) {
        if (n instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    expected(path, t.getKeyNode(), "key");
                    continue;
                }
                String p = join(path, k.getValue());
                if (k.getTag().equals(Tag.MERGE)) {
                    error(path, k, "loader.key.merge");
                    continue;
                }
                if (out.containsKey(k.getValue())) {
                    error(p, k, "loader.key.duplicate", Quote.of(k.getValue()));
                    continue;
                }
                locations.put(p, loc(t.getValueNode() instanceof ScalarNode ? t.getValueNode() : k));
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

    /** A spec field path as the file numbers its list elements ("hosts[2].name" to "hosts[3].name"). */
    String fileField(String field) {
        int close = field.indexOf(']');
        if (close < 0 || fileElements.isEmpty()) return field;
        String element = fileElements.get(field.substring(0, close + 1));
        return element == null ? field : element + field.substring(close + 1);
    }

    /**
     * Where a field stands; for a field the file leaves out (a default), where its nearest written
     * parent stands, so "required" problems point at the block they belong in.
     */
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
}
