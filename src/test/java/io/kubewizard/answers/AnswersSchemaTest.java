package io.kubewizard.answers;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import tools.jackson.core.exc.StreamConstraintsException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schema `kubewizard schema` prints, checked by an independent JSON Schema validator (networknt,
 * test scope only): it is a valid draft 2020-12 schema, every preset and every answers file of the
 * tests passes it exactly when the loader accepts the file's shape, and what the loader refuses for
 * its shape (an unknown key, a wrong type, a bad enum value, a value out of range) the schema refuses.
 */
class AnswersSchemaTest {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Schema SCHEMA = REGISTRY.getSchema(AnswersSchema.json(), InputFormat.JSON);
    private static final String CORPUS_SEPARATOR = "\n#----8<----\n";

    /** The schema's own errors: none when the instance passes. */
    private static List<String> schemaErrors(String yaml) {
        try {
            return SCHEMA.validate(YamlJson.of(yaml), InputFormat.JSON).stream().map(Error::toString).toList();
        } catch (StreamConstraintsException e) {
            // the corpus's 200,000-character key: beyond what the validator's JSON parser reads, refused
            return List.of("unreadable: " + e.getOriginalMessage());
        }
    }

    /** The loader's codes for what JSON cannot say at all: a key twice, a merge key, a key that is not text. */
    private static final List<String> NOT_JSON = List.of("loader.key.duplicate", "loader.key.merge", "loader.expected.key");

    /** The loader's refusals of the file's shape (its loader.* codes), as text. */
    private static List<String> shapeErrors(String yaml) {
        AnswersLoader.Result r = AnswersLoader.parse("answers.yaml", yaml);
        // the shape's errors: a jump-host file the mirrors name that is missing is a fact of the jump
        // host, not of the file's shape, and no schema can know it
        return r.problems().stream().filter(Problem::isFileError)
                .filter(p -> !"loader.mirrors.fileMissing".equals(p.code())).map(Problem::toString).toList();
    }

    @Test
    void theSchemaIsADraft202012SchemaByTheMetaSchema() {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of(AnswersSchema.DIALECT));
        assertEquals(List.of(), meta.validate(AnswersSchema.json(), InputFormat.JSON).stream().map(Error::toString).toList());
        assertTrue(AnswersSchema.json().startsWith("{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"));
    }

    @Test
    void everyPresetPassesTheSchema() {
        for (String preset : Fixtures.PRESETS) {
            String text = Fixtures.read(Fixtures.preset(preset));
            assertTrue(text.startsWith(AnswersSchema.MODELINE + "\n"), preset + " points editors at the schema");
            assertEquals(List.of(), shapeErrors(text), preset);
            assertEquals(List.of(), schemaErrors(text), preset);
        }
    }

    @Test
    void everyAnswersFileOfTheTestsGetsTheSameVerdictFromTheSchemaAsFromTheLoader() throws IOException {
        List<Path> files;
        try (Stream<Path> all = Files.walk(Fixtures.root().resolve("src/test/resources"))) {
            files = all.filter(p -> p.toString().endsWith(".yaml") && !p.toString().contains("/golden/")).sorted().toList();
        }
        assertEquals(List.of("bom.yaml", "latin1.yaml", "minimal.yaml"),
                files.stream().map(p -> p.getFileName().toString()).toList());
        int checked = 0;
        for (Path file : files) {
            AnswersLoader.Result r = AnswersLoader.load(file);
            if (file.endsWith("latin1.yaml")) {
                // not UTF-8: refused before there is a document; JSON has no such text to check
                assertEquals("loader.notUtf8", r.problems().get(0).code());
                continue;
            }
            String text = Files.readString(file);
            assertEquals(List.of(), shapeErrors(text), file.toString());
            assertEquals(List.of(), schemaErrors(text), file.toString());
            checked++;
        }
        String corpus = Fixtures.read(Fixtures.root().resolve("src/test/resources/answers/validator-corpus.txt"));
        for (String answers : corpus.split(CORPUS_SEPARATOR)) {
            if (answers.isBlank()) continue;
            if (!YamlJson.isJson(answers)) {
                AnswersLoader.Result r = AnswersLoader.parse("answers.yaml", answers);
                assertTrue(r.problems().stream().anyMatch(p -> p.code() != null
                        && NOT_JSON.stream().anyMatch(p.code()::startsWith)), answers);
                checked++;
                continue;
            }
            assertEquals(shapeErrors(answers).isEmpty(), schemaErrors(answers).isEmpty(),
                    () -> "loader " + shapeErrors(answers) + " vs schema " + schemaErrors(answers) + " for\n" + answers);
            checked++;
        }
        assertTrue(checked > 100, "checked " + checked);
    }

    private static final String BASE = """
            apiVersion: kubewizard.io/v1alpha1
            kind: Answers
            cluster:
              name: lab
              kubernetesVersion: 1.35.2
            hosts:
              - name: node1
                address: 10.0.0.11
                roles: [control-plane, worker]
            """;

    /** BASE with {@code from} replaced by {@code to}. */
    private static String with(String from, String to) {
        assertTrue(BASE.contains(from), from);
        return BASE.replace(from, to);
    }

    @Test
    void whatTheLoaderRefusesForItsShapeTheSchemaRefuses() {
        List<String> refused = List.of(
                // unknown keys, at the top, in a section, in a list element
                BASE + "clutser: {}\n",
                with("  name: lab\n", "  name: lab\n  podSubnett: 10.0.0.0/16\n"),
                with("    address: 10.0.0.11\n", "    adress: 10.0.0.11\n"),
                with("    address: 10.0.0.11\n", "    address: 10.0.0.11\n    ssh: {usr: admin}\n"),
                // wrong types
                BASE + "network: [calico]\n",
                BASE + "ssh:\n  port: '22'\n",
                BASE + "ssh:\n  useAgent: yes\n",
                BASE + "ssh:\n  user:\n",
                with("    roles: [control-plane, worker]\n", "    roles: control-plane\n"),
                with("    address: 10.0.0.11\n", "    address: 10.0.0.11\n    labels: {zone: {a: b}}\n"),
                BASE + "cluster2: 1\n",
                BASE.replace("hosts:\n  - name: node1\n    address: 10.0.0.11\n    roles: [control-plane, worker]\n",
                        "hosts: {node1: {}}\n"),
                with("  name: lab\n", "  name: lab\n  featureGates: {Alpha: maybe}\n"),
                BASE + "pki:\n  extraCertSANs: [a, [b]]\n",
                // bad enum values
                BASE + "network:\n  cni: weave\n",
                with("roles: [control-plane, worker]", "roles: [master]"),
                BASE + "pki:\n  keyAlgorithm: rsa-2048\n",
                // out of range, and the wrong constants
                BASE + "ssh:\n  port: 70000\n",
                BASE + "upgrade:\n  maxUnavailable: 0\n",
                with("apiVersion: kubewizard.io/v1alpha1", "apiVersion: kubewizard.io/v1"),
                with("kind: Answers", "kind: Cluster"));
        for (String answers : refused) {
            assertFalse(shapeErrors(answers).isEmpty(), () -> "the loader accepts\n" + answers);
            assertFalse(schemaErrors(answers).isEmpty(), () -> "the schema accepts\n" + answers);
        }
    }

    @Test
    void whatTheLoaderReadsAsTextTheSchemaAcceptsToo() {
        List<String> accepted = List.of(
                BASE,
                with("name: lab", "name: 123"),
                with("    address: 10.0.0.11\n", "    address: 10.0.0.11\n    labels: {rack: 7, ssd: true}\n"),
                BASE + "components:\n  kubelet: {maxPods: 100, evictionHard: {memory.available: 5%}}\n",
                BASE + "ssh:\n  useAgent: TRUE\n  port: 2_222\n",
                AnswersSchema.MODELINE + "\n" + BASE);
        for (String answers : accepted) {
            assertEquals(List.of(), shapeErrors(answers), answers);
            assertEquals(List.of(), schemaErrors(answers), answers);
        }
    }

    /**
     * YAML to JSON the way the loader reads its scalars: true/false in any case are booleans (yes, on
     * and the like are text), whole numbers integers (underscores allowed), the rest text; a mapping's
     * keys are its scalar keys' text. A document with a key twice, a merge key or a key that is not a
     * scalar has no JSON form ({@link #isJson}).
     */
    static final class YamlJson {
        static boolean isJson(String yaml) {
            try {
                of(yaml);
                return true;
            } catch (NotJson e) {
                return false;
            }
        }

        static final class NotJson extends RuntimeException {
            NotJson(String why) { super(why); }
        }

        static String of(String yaml) {
            Node root;
            try {
                root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
            } catch (YAMLException e) {
                throw new AssertionError("not YAML: " + e.getMessage());
            }
            StringBuilder sb = new StringBuilder();
            write(sb, root);
            return sb.toString();
        }

        private static void write(StringBuilder sb, Node node) {
            if (node instanceof MappingNode m) {
                Map<String, Node> entries = new LinkedHashMap<>();
                for (NodeTuple t : m.getValue()) {
                    if (!(t.getKeyNode() instanceof ScalarNode k) || k.getTag().equals(Tag.MERGE)) throw new NotJson("key");
                    if (entries.put(k.getValue(), t.getValueNode()) != null) throw new NotJson("twice: " + k.getValue());
                }
                sb.append('{');
                String sep = "";
                for (Map.Entry<String, Node> e : entries.entrySet()) {
                    sb.append(sep);
                    string(sb, e.getKey());
                    sb.append(':');
                    write(sb, e.getValue());
                    sep = ",";
                }
                sb.append('}');
            } else if (node instanceof SequenceNode s) {
                List<Node> items = new ArrayList<>(s.getValue());
                sb.append('[');
                for (int i = 0; i < items.size(); i++) {
                    if (i > 0) sb.append(',');
                    write(sb, items.get(i));
                }
                sb.append(']');
            } else {
                ScalarNode s = (ScalarNode) node;
                String v = s.getValue();
                Tag tag = s.getTag();
                String lower = v.toLowerCase(Locale.ROOT);
                if (tag.equals(Tag.NULL)) sb.append("null");
                else if (tag.equals(Tag.BOOL) && (lower.equals("true") || lower.equals("false"))) sb.append(lower);
                else if (tag.equals(Tag.INT) && v.replace("_", "").matches("[-+]?[0-9]+")) sb.append(new java.math.BigInteger(v.replace("_", "")));
                else string(sb, v);
            }
        }

        private static void string(StringBuilder sb, String s) {
            sb.append('"');
            for (char c : s.toCharArray()) {
                if (c == '"' || c == '\\') sb.append('\\').append(c);
                else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                else sb.append(c);
            }
            sb.append('"');
        }
    }
}
