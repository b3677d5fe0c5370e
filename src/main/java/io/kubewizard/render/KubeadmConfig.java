package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.List;

final class KubeadmConfig {
    private KubeadmConfig() {}

    static List<RenderedFile> files(ClusterSpec spec, Secrets secrets) {
        return List.of();
    }
}
