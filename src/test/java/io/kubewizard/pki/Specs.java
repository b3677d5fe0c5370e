package io.kubewizard.pki;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.testsupport.SystemDeps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Presets with a few lines changed, loaded through the real loader (so defaults and checks apply). */
final class Specs {
    private Specs() {}

    /** 2026-03-01 10:00 UTC: every test certificate's dates derive from it. */
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** Loads presets/NAME.yaml after replacing each "from" line fragment by its "to" (pairs). */
    static ClusterSpec preset(String name, String... fromTo) {
        String text;
        try {
            text = Files.readString(SystemDeps.root().resolve("presets").resolve(name + ".yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < fromTo.length; i += 2) {
            if (!text.contains(fromTo[i])) throw new AssertionError("preset " + name + " has no '" + fromTo[i] + "'");
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        AnswersLoader.Result r = AnswersLoader.parse(name + ".yaml", text);
        if (r.hasErrors()) throw new AssertionError("preset " + name + " does not load: " + r.errors());
        return r.spec();
    }

    /** 3 control planes, 3 external etcd hosts, 3 workers; PKI by kubewizard with the given key algorithm. */
    static ClusterSpec external(String keyAlgorithm) {
        return preset("ha-external-etcd", "keyAlgorithm: RSA-2048", "keyAlgorithm: " + keyAlgorithm);
    }

    /** 3 stacked control planes, 2 workers; PKI by kubewizard. */
    static ClusterSpec stacked(String keyAlgorithm) {
        return preset("ha-stacked", "generatedBy: kubeadm", "generatedBy: kubewizard",
                "keyAlgorithm: RSA-2048", "keyAlgorithm: " + keyAlgorithm);
    }

    /** Writes PkiMaterial-style files (paths relative to /etc/kubernetes) under a directory. */
    static void write(java.nio.file.Path root, java.util.Map<String, String> files) {
        try {
            for (java.util.Map.Entry<String, String> e : files.entrySet()) {
                java.nio.file.Path p = root.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
