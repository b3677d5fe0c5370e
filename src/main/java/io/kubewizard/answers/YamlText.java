package io.kubewizard.answers;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * YAML for everything that is not the answers file itself: the files render generates (dumped
 * deterministically) and the documents other packages read (a kubeconfig, a YAML override typed in
 * the wizard). This package is the one that uses SnakeYAML; the answers file has its own reader
 * with locations ({@link YamlTree}).
 */
public final class YamlText {
    private YamlText() {}

    /** Text that is not YAML: where (1-based; 0 when SnakeYAML names no place) and what. */
    public static final class Malformed extends IllegalArgumentException {
        private final int line;
        private final int column;
        private final String problem;

        Malformed(int line, int column, String problem) {
            super(line > 0 ? "line " + line + ", column " + column + ": " + problem : problem);
            this.line = line;
            this.column = column;
            this.problem = problem;
        }

        public int line() { return line; }

        public int column() { return column; }

        public String problem() { return problem; }
    }

    private static final ThreadLocal<Yaml> DUMPER = ThreadLocal.withInitial(() -> {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(0);
        o.setWidth(Integer.MAX_VALUE);
        o.setSplitLines(false);
        return new Yaml(o);
    });

    /** One document: block style, 2-space indent, insertion order kept, no line folding, no anchors. */
    public static String dump(Object document) {
        return DUMPER.get().dump(document);
    }

    /**
     * One document read into maps, lists and scalars, safely (no types, no aliases of collections,
     * no key twice); null for an empty one.
     *
     * @throws Malformed when the text is not YAML
     */
    public static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(0);
        try {
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : "malformed YAML";
            throw mark == null ? new Malformed(0, 0, problem) : new Malformed(mark.getLine() + 1, mark.getColumn() + 1, problem);
        } catch (YAMLException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            throw new Malformed(0, 0, message.lines().findFirst().orElse(message));
        }
    }
}
