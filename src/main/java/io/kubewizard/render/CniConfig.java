package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.List;

final class CniConfig {
    private CniConfig() {}

    static List<RenderedFile> files(ClusterSpec spec) {
        return List.of();
    }
}
