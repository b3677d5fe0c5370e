package io.kubewizard.run;

import io.kubewizard.render.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * kubeadm names admin.conf's context "kubernetes-admin@&lt;cluster&gt;"; the copy on the jump host
 * gets the cluster's own name, so {@code kubectl config use-context prod} finds it and kubeconfigs
 * of several clusters merge without clashing.
 */
public final class Kubeconfigs {
    private Kubeconfigs() {}

    /** The kubeconfig with its current context renamed to {@code name}; IllegalArgumentException when it is none. */
    @SuppressWarnings("unchecked")
    public static String renameContext(String kubeconfig, String name) {
        Object doc;
        try {
            doc = io.kubewizard.answers.YamlText.load(kubeconfig);
        } catch (io.kubewizard.answers.YamlText.Malformed e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(doc instanceof Map<?, ?> root) || !"Config".equals(root.get("kind"))) {
            throw new IllegalArgumentException("not a kubeconfig (kind: Config)");
        }
        Object current = root.get("current-context");
        if (!(current instanceof String currentName) || !(root.get("contexts") instanceof List<?> contexts)) {
            throw new IllegalArgumentException("a kubeconfig without a current context");
        }
        Map<String, Object> context = null;
        for (Object c : contexts) {
            if (c instanceof Map<?, ?> m && currentName.equals(m.get("name"))) context = (Map<String, Object>) m;
        }
        if (context == null) throw new IllegalArgumentException("its current context '" + currentName + "' is not among its contexts");
        for (Object c : contexts) {
            if (c != context && c instanceof Map<?, ?> m && name.equals(m.get("name"))) {
                throw new IllegalArgumentException("it already has another context named '" + name + "'");
            }
        }
        context.put("name", name);
        ((Map<String, Object>) root).put("current-context", name);
        return Yaml.dump(root);
    }

    /** Where apply keeps the admin kubeconfig of the run directory's cluster. */
    public static Path fetched(Path runDir) {
        return runDir.resolve(FetchedFiles.KUBECONFIG);
    }

    /** Writes a kubeconfig (it holds a key) 0600, through a temporary file beside it. */
    public static void write(Path to, String text) throws IOException {
        RunSecrets.writePrivate(to.toAbsolutePath(), text);
    }

    /** Copies a kubeconfig, 0600, with its context named {@code name}. */
    public static void copy(Path from, String name, Path to) throws IOException {
        String renamed = renameContext(Files.readString(from, StandardCharsets.UTF_8), name);
        RunSecrets.writePrivate(to.toAbsolutePath(), renamed);
    }
}
