package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.List;

final class ExternalEtcd {
    private ExternalEtcd() {}

    static List<RenderedFile> files(ClusterSpec spec) {
        return List.of();
    }
}
