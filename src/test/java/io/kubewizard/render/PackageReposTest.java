package io.kubewizard.render;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PackageReposTest {

    static final String KUBERNETES_LIST_135 = """
            # Written by kubewizard: Kubernetes v1.35 from pkgs.k8s.io, which has one repository per
            # minor version, so a minor upgrade starts by changing this line.
            deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.35/deb/ /
            """;

    static final String KUBERNETES_REPO_135 = """
            # Written by kubewizard: Kubernetes v1.35 from pkgs.k8s.io, one repository per minor version.
            # exclude= keeps routine updates away from the cluster's packages; kubewizard installs them
            # with --disableexcludes=kubernetes.
            [kubernetes]
            name=Kubernetes
            baseurl=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/
            enabled=1
            gpgcheck=1
            gpgkey=https://pkgs.k8s.io/core:/stable:/v1.35/rpm/repodata/repomd.xml.key
            exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni
            """;

    static final String CRIO_LIST_135 = """
            # Written by kubewizard: CRI-O v1.35, the minor of Kubernetes, which CRI-O's releases follow.
            deb [signed-by=/etc/apt/keyrings/cri-o-apt-keyring.gpg] https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.35/deb/ /
            """;

    static final String CRIO_REPO_135 = """
            # Written by kubewizard: CRI-O v1.35, the minor of Kubernetes, which CRI-O's releases follow.
            [cri-o]
            name=CRI-O
            baseurl=https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.35/rpm/
            enabled=1
            gpgcheck=1
            gpgkey=https://download.opensuse.org/repositories/isv:/cri-o:/stable:/v1.35/rpm/repodata/repomd.xml.key
            """;

    static final String DOCKER_REPO = """
            # Written by kubewizard: containerd.io (and docker-ce) come from Docker's repository, because EL
            # distributions ship no containerd. yum expands $releasever and $basearch on each host.
            [docker-ce-stable]
            name=Docker CE Stable - $basearch
            baseurl=https://download.docker.com/linux/centos/$releasever/$basearch/stable
            enabled=1
            gpgcheck=1
            gpgkey=https://download.docker.com/linux/centos/gpg
            """;

    @Test
    void containerdHostsGetKubernetesPerFamilyAndDockersRpmRepo() {
        ClusterSpec spec = NodeSpecs.externalEtcd("containerd", "systemd");
        List<RenderedFile> files = PackageRepos.files(spec);
        assertEquals(3 * 9, files.size());
        for (int i = 0; i < 9; i++) {
            String host = spec.hosts().get(i).name();
            assertEquals(List.of(
                    new RenderedFile(host, "/etc/apt/sources.list.d/kubernetes.list", 0644, KUBERNETES_LIST_135, false, OsFamily.DEB),
                    new RenderedFile(host, "/etc/yum.repos.d/kubernetes.repo", 0644, KUBERNETES_REPO_135, false, OsFamily.RPM),
                    new RenderedFile(host, "/etc/yum.repos.d/docker-ce.repo", 0644, DOCKER_REPO, false, OsFamily.RPM)),
                    files.subList(3 * i, 3 * i + 3));
        }
    }

    @Test
    void crioHostsGetCrioRepositoriesOfTheSameMinorAndNoDockerRepo() {
        ClusterSpec spec = NodeSpecs.externalEtcd("cri-o", "systemd");
        List<RenderedFile> files = PackageRepos.files(spec);
        assertEquals(4 * 9, files.size());
        for (int i = 0; i < 9; i++) {
            String host = spec.hosts().get(i).name();
            assertEquals(List.of(
                    new RenderedFile(host, "/etc/apt/sources.list.d/kubernetes.list", 0644, KUBERNETES_LIST_135, false, OsFamily.DEB),
                    new RenderedFile(host, "/etc/yum.repos.d/kubernetes.repo", 0644, KUBERNETES_REPO_135, false, OsFamily.RPM),
                    new RenderedFile(host, "/etc/apt/sources.list.d/cri-o.list", 0644, CRIO_LIST_135, false, OsFamily.DEB),
                    new RenderedFile(host, "/etc/yum.repos.d/cri-o.repo", 0644, CRIO_REPO_135, false, OsFamily.RPM)),
                    files.subList(4 * i, 4 * i + 4));
        }
    }

    @Test
    void dockerHostsGetDockersRpmRepoAndNoDebFileForIt() {
        ClusterSpec spec = NodeSpecs.externalEtcd("docker", "systemd");
        List<RenderedFile> files = PackageRepos.files(spec);
        assertEquals(3 * 9, files.size());
        assertEquals(List.of("/etc/apt/sources.list.d/kubernetes.list", "/etc/yum.repos.d/kubernetes.repo",
                        "/etc/yum.repos.d/docker-ce.repo"),
                files.subList(0, 3).stream().map(RenderedFile::path).toList());
        assertEquals(DOCKER_REPO, files.get(2).content());
    }

    @ParameterizedTest
    @CsvSource({"1.30.14, v1.30", "1.35.2, v1.35", "1.36.0, v1.36", "1.37.1, v1.37"})
    void repositoryMinorFollowsTheVersion(String version, String minor) {
        ClusterSpec spec = NodeSpecs.externalEtcd("cri-o", "systemd", "kubernetesVersion: 1.35.2", "kubernetesVersion: " + version);
        List<RenderedFile> cp1 = Render.forHost(PackageRepos.files(spec), "cp1");
        assertEquals(KUBERNETES_LIST_135.replace("v1.35", minor), cp1.get(0).content());
        assertEquals(KUBERNETES_REPO_135.replace("v1.35", minor), cp1.get(1).content());
        assertEquals(CRIO_LIST_135.replace("v1.35", minor), cp1.get(2).content());
        assertEquals(CRIO_REPO_135.replace("v1.35", minor), cp1.get(3).content());
    }

    @Test
    void everyHostGetsTheSameFilesWhateverItsRole() {
        for (String runtime : List.of("containerd", "cri-o", "docker")) {
            ClusterSpec spec = NodeSpecs.externalEtcd(runtime, "systemd");
            List<RenderedFile> files = PackageRepos.files(spec);
            List<RenderedFile> cp1 = Render.forHost(files, "cp1");
            for (Host h : spec.hosts()) {
                List<RenderedFile> mine = Render.forHost(files, h.name());
                assertEquals(cp1.stream().map(f -> new RenderedFile(h.name(), f.path(), f.mode(), f.content(), f.secret(), f.os())).toList(),
                        mine, runtime + " on " + h.name());
            }
        }
    }

    @Test
    void kubernetesPackagesArePinnedAsEachPackageManagerNamesThem() {
        KubernetesVersion v = KubernetesVersion.parse("1.35.2");
        assertEquals(List.of("kubelet=1.35.2-*", "kubeadm=1.35.2-*", "kubectl=1.35.2-*"),
                PackageRepos.kubernetesPackages(v, OsFamily.DEB));
        assertEquals(List.of("kubelet-1.35.2", "kubeadm-1.35.2", "kubectl-1.35.2"),
                PackageRepos.kubernetesPackages(v, OsFamily.RPM));
        assertEquals(List.of("kubelet=1.37.10-*", "kubeadm=1.37.10-*", "kubectl=1.37.10-*"),
                PackageRepos.kubernetesPackages(KubernetesVersion.parse("1.37.10"), OsFamily.DEB));
        assertEquals(List.of("kubelet", "kubeadm", "kubectl"), PackageRepos.HELD_PACKAGES);
        assertEquals("packages are named per family: DEB or RPM, not ANY",
                assertThrows(IllegalArgumentException.class, () -> PackageRepos.kubernetesPackages(v, OsFamily.ANY)).getMessage());
    }

    @Test
    void runtimePackagesComeFromTheRepositoriesRenderedForThem() {
        for (OsFamily family : List.of(OsFamily.DEB, OsFamily.RPM)) {
            assertEquals(List.of("containerd.io"), PackageRepos.runtimePackages(RuntimeType.CONTAINERD, family));
            assertEquals(List.of("cri-o"), PackageRepos.runtimePackages(RuntimeType.CRI_O, family));
            assertEquals(List.of("docker-ce", "docker-ce-cli", "containerd.io"), PackageRepos.runtimePackages(RuntimeType.DOCKER, family));
        }
        assertEquals("packages are named per family: DEB or RPM, not ANY",
                assertThrows(IllegalArgumentException.class, () -> PackageRepos.runtimePackages(RuntimeType.CRI_O, OsFamily.ANY)).getMessage());
        assertEquals(true, PackageRepos.usesDockerRepository(RuntimeType.CONTAINERD));
        assertEquals(true, PackageRepos.usesDockerRepository(RuntimeType.DOCKER));
        assertEquals(false, PackageRepos.usesDockerRepository(RuntimeType.CRI_O));
    }

    @Test
    void criDockerdComesFromTheReleaseTarballForEachMachine() {
        assertEquals("0.4.10", PackageRepos.CRI_DOCKERD_VERSION);
        assertEquals(Map.of(
                        "x86_64", "https://github.com/Mirantis/cri-dockerd/releases/download/v0.4.10/cri-dockerd-0.4.10.amd64.tgz",
                        "aarch64", "https://github.com/Mirantis/cri-dockerd/releases/download/v0.4.10/cri-dockerd-0.4.10.arm64.tgz"),
                PackageRepos.criDockerdTarballs());
        // The plan turns the map into a case statement: the order is part of the plan's text.
        assertEquals(List.of("x86_64", "aarch64"), List.copyOf(PackageRepos.criDockerdTarballs().keySet()));
    }
}
