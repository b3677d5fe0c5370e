package io.kubewizard.render;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.testsupport.SystemDeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Specs for the node, package and runtime renderers: a preset with some of its lines replaced,
 * loaded through the real loader so every variant is one the validator accepts.
 */
final class NodeSpecs {
    private NodeSpecs() {}

    /** The preset {@code presets/<name>.yaml}, each {@code old} (which must occur once) replaced by its {@code new}. */
    static ClusterSpec preset(String name, String... oldNewPairs) {
        String text;
        try {
            text = Files.readString(SystemDeps.root().resolve("presets/" + name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < oldNewPairs.length; i += 2) {
            String old = oldNewPairs[i];
            assertEquals(1, text.split(java.util.regex.Pattern.quote(old), -1).length - 1,
                    "'" + old + "' must occur once in preset " + name);
            text = text.replace(old, oldNewPairs[i + 1]);
        }
        AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
        assertFalse(r.hasErrors(), () -> "preset " + name + " with replacements is invalid: " + r.errors());
        return r.spec();
    }

    /** The external-etcd preset (3 control planes, 3 etcd hosts, 3 workers) with a runtime and cgroup driver. */
    static ClusterSpec externalEtcd(String runtime, String cgroupDriver, String... moreOldNewPairs) {
        String[] pairs = new String[4 + moreOldNewPairs.length];
        pairs[0] = "  type: containerd\n";
        pairs[1] = "  type: " + runtime + "\n";
        pairs[2] = "cgroupDriver: systemd";
        pairs[3] = "cgroupDriver: " + cgroupDriver;
        System.arraycopy(moreOldNewPairs, 0, pairs, 4, moreOldNewPairs.length);
        return preset("ha-external-etcd", pairs);
    }
}
