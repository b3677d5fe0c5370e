package io.kubewizard.render;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Specs for render tests: a preset, optionally edited, that must load without errors. */
final class Fixtures {
    private Fixtures() {}

    /** presets/NAME.yaml with each (old, new) pair replaced everywhere; every old text must occur. */
    static ClusterSpec preset(String name, String... oldNew) {
        String text;
        try {
            text = Files.readString(Path.of("presets", name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < oldNew.length; i += 2) {
            assertTrue(text.contains(oldNew[i]), "preset " + name + " has no '" + oldNew[i] + "'");
            text = text.replace(oldNew[i], oldNew[i + 1]);
        }
        AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
        assertEquals(List.of(), r.errors(), "fixture must be valid answers");
        return r.spec();
    }

    /** The one file at PATH on HOST. */
    static RenderedFile file(List<RenderedFile> files, String host, String path) {
        List<RenderedFile> found = files.stream().filter(f -> f.host().equals(host) && f.path().equals(path)).toList();
        assertEquals(1, found.size(), "exactly one " + path + " on " + host + " in " + files);
        return found.get(0);
    }

    /** "host path mode" of every file, in order, to compare where files go at a glance. */
    static List<String> layout(List<RenderedFile> files) {
        return files.stream().map(f -> f.host() + " " + f.path() + " " + f.modeString()).toList();
    }

    static Map<String, Object> yaml(String text) {
        return new org.yaml.snakeyaml.Yaml().load(text);
    }

    static List<Map<String, Object>> yamlAll(String text) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Object o : new org.yaml.snakeyaml.Yaml().loadAll(text)) {
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) o;
            out.add(m);
        }
        return out;
    }

    /** Walks maps by key and lists by index: at(doc, "spec", "containers", 0, "image"). */
    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object cur = node;
        for (Object step : path) {
            if (step instanceof Integer i) cur = ((List<Object>) cur).get(i);
            else cur = ((Map<String, Object>) cur).get((String) step);
            if (cur == null) throw new AssertionError("no " + step + " in path " + List.of(path));
        }
        return (T) cur;
    }
}
