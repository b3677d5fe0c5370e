package io.kubewizard.answers;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of the answers file: every key, in the order docs/answers.md lists them, with its type,
 * range, allowed values and default. It is not written down a second time: {@link #answers()} runs
 * the loader's own reader ({@link AnswersLoader}) over an empty document on a recording
 * {@link YamlTree}, so the JSON Schema ({@link AnswersSchema}) and the reference in docs/answers.md
 * are made from exactly what the loader accepts.
 */
public final class AnswersShape {
    private AnswersShape() {}

    /** What one key holds. */
    public sealed interface Field permits Section, Text, Constant, Whole, Flag, OneOf, Distinct, Texts, ListOf, MapOf, TextMap, FlagMap, Free {}

    /** A mapping with fixed keys; any other key is an error. */
    public static final class Section implements Field {
        private final Map<String, Field> fields = new LinkedHashMap<>();

        public Map<String, Field> fields() { return Collections.unmodifiableMap(fields); }
    }

    /** Any scalar, read as its text; {@code def} null: no default of its own (a host's ssh override). */
    public record Text(String def) implements Field {}

    /** Text that must be exactly {@code value} (apiVersion, kind). */
    public record Constant(String value) implements Field {}

    /** A whole number in {@code min..max}. */
    public record Whole(Integer def, int min, int max) implements Field {}

    public record Flag(Boolean def) implements Field {}

    /** One of the spellings of an enum. */
    public record OneOf(List<String> values, String def) implements Field {
        static <E extends Enum<E> & Spec.Named> OneOf of(Class<E> type, E def) {
            List<String> values = new ArrayList<>();
            for (E e : type.getEnumConstants()) values.add(e.yaml());
            return new OneOf(List.copyOf(values), def == null ? null : def.yaml());
        }
    }

    /** A list of distinct values of an enum (a host's roles); empty by default. */
    public record Distinct(List<String> values) implements Field {
        static <E extends Enum<E> & Spec.Named> Distinct of(Class<E> type) {
            return new Distinct(OneOf.of(type, null).values());
        }
    }

    /** A list of scalars, each read as text. */
    public record Texts(List<String> def) implements Field {}

    /** A list of elements of one shape; empty by default. */
    public static final class ListOf implements Field {
        private Field item;

        public Field item() { return item; }
    }

    /** A mapping of keys the user names to mappings of one shape (mirrors.registries); empty by default. */
    public static final class MapOf implements Field {
        private Field item;

        public Field item() { return item; }
    }

    /** A mapping of any keys to scalars, each read as text (labels, extraArgs). */
    public record TextMap() implements Field {}

    /** A mapping of any keys to booleans (featureGates). */
    public record FlagMap() implements Field {}

    /** A free-form mapping passed through to a Kubernetes config (kubelet, kubeProxy). */
    public record Free() implements Field {}

    /** The answers file's shape, recorded once. */
    public static Section answers() { return Holder.ANSWERS; }

    private static final class Holder {
        static final Section ANSWERS = record();
    }

    private static Section record() {
        Recorder recorder = new Recorder();
        YamlTree tree = YamlTree.recording(recorder);
        AnswersLoader.read(tree, new MappingNode(Tag.MAP, new ArrayList<>(), DumperOptions.FlowStyle.BLOCK));
        return (Section) recorder.byPath.get("");
    }

    /**
     * Builds the tree from the reads of a recording {@link YamlTree}, by path: "cluster.name",
     * "hosts[]" for a list's element, "mirrors.registries{}" for a named mapping's value. A later read of the same path wins (integer() after the
     * optInteger() it calls, a map after the section it opens).
     */
    static final class Recorder {
        private final Map<String, Field> byPath = new HashMap<>();

        void put(String path, Field field) {
            Field old = byPath.get(path);
            if (old instanceof Section && field instanceof Section) return;
            byPath.put(path, field);
            if (path.isEmpty()) return;
            if (path.endsWith("[]")) {
                ((ListOf) byPath.get(path.substring(0, path.length() - 2))).item = field;
                return;
            }
            if (path.endsWith("{}")) {
                ((MapOf) byPath.get(path.substring(0, path.length() - 2))).item = field;
                return;
            }
            int dot = path.lastIndexOf('.');
            Section parent = (Section) byPath.get(dot < 0 ? "" : path.substring(0, dot));
            parent.fields.put(path.substring(dot + 1), field);
        }
    }
}
