package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.List;

final class RuntimeConfig {
    private RuntimeConfig() {}

    static List<RenderedFile> files(ClusterSpec spec) {
        return List.of();
    }
}
