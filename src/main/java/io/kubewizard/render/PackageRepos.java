package io.kubewizard.render;

import io.kubewizard.answers.Spec.ClusterSpec;

import java.util.List;

final class PackageRepos {
    private PackageRepos() {}

    static List<RenderedFile> files(ClusterSpec spec) {
        return List.of();
    }
}
