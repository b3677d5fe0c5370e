package io.kubewizard.render;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.PackageMirror;
import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Package repository definitions for every host (etcd hosts too: they run kubelet and the runtime),
 * and the package lists the plan installs from them (docs/kubeadm.md "Packages"). The package family
 * is learnt at run time, so each file is tagged DEB or RPM and the host gets the one that applies.
 * Fetching and dearmoring the apt keys is a run-time step of the plan, which reads the keyring and
 * the repository from each rendered source line's {@code signed-by}.
 *
 * <p>Where each runtime comes from:
 * <ul>
 *   <li>containerd: Docker's {@code containerd.io} on both families, not the distribution's
 *   {@code containerd}. Kubernetes 1.35 is the last minor that supports containerd 1.x, and the
 *   distributions people run in production ship 1.6/1.7 (Debian 12 and 13, Ubuntu's LTS releases as
 *   released) or nothing at all (RHEL and its rebuilds), so their package would strand a cluster at 1.35.
 *   containerd.io is 2.x and reads the version 2 config {@link RuntimeConfig} writes.</li>
 *   <li>CRI-O: its own repository, one per minor like Kubernetes', with the same minor.</li>
 *   <li>Docker Engine: {@code docker-ce} from Docker's repository. cri-dockerd is in no repository:
 *   the plan installs the static build from its GitHub release ({@link #criDockerdTarballs}), and
 *   {@link RuntimeConfig} renders the systemd units that release does not ship.</li>
 * </ul>
 *
 * <p>Docker's apt repository is split by distribution and codename ({@code linux/debian bookworm}),
 * two facts of the host that render cannot know, and sources.list has no variable for them (only
 * {@code $(ARCH)}), so no deb file for it is rendered: the plan writes {@link #DOCKER_APT_LIST} on
 * the host from its /etc/os-release. yum/dnf expand {@code $releasever} and {@code $basearch}
 * themselves, so the rpm file is rendered here; it uses Docker's EL ("centos") tree, which serves
 * RHEL, Rocky, Alma and CentOS Stream alike (Fedora has its own tree and is not covered).
 */
public final class PackageRepos {
    private PackageRepos() {}

    public static final String KUBERNETES_APT_LIST = "/etc/apt/sources.list.d/kubernetes.list";
    public static final String KUBERNETES_YUM_REPO = "/etc/yum.repos.d/kubernetes.repo";
    public static final String KUBERNETES_APT_KEYRING = "/etc/apt/keyrings/kubernetes-apt-keyring.gpg";
    /** The yum repository id, for {@code --disableexcludes=kubernetes}. */
    public static final String KUBERNETES_YUM_REPO_ID = "kubernetes";
    public static final String CRIO_APT_LIST = "/etc/apt/sources.list.d/cri-o.list";
    public static final String CRIO_YUM_REPO = "/etc/yum.repos.d/cri-o.repo";
    public static final String CRIO_APT_KEYRING = "/etc/apt/keyrings/cri-o-apt-keyring.gpg";
    public static final String DOCKER_APT_LIST = "/etc/apt/sources.list.d/docker.list";
    public static final String DOCKER_YUM_REPO = "/etc/yum.repos.d/docker-ce.repo";
    public static final String DOCKER_APT_KEYRING = "/etc/apt/keyrings/docker-apt-keyring.gpg";
    /** Docker's repositories: followed by a distribution ID from /etc/os-release ("debian", "ubuntu"). */
    public static final String DOCKER_LINUX = "https://download.docker.com/linux/";
    /** The cri-dockerd release the plan installs; its tarballs hold {@code cri-dockerd/cri-dockerd}. */
    public static final String CRI_DOCKERD_VERSION = io.kubewizard.answers.Downloadables.CRI_DOCKERD_VERSION;

    /** The packages {@code apt-mark hold} pins after installing them (rpm pins them with exclude=). */
    public static final List<String> HELD_PACKAGES = List.of("kubelet", "kubeadm", "kubectl");

    static List<RenderedFile> files(ClusterSpec spec) {
        KubernetesVersion v = spec.version();
        RuntimeType runtime = spec.runtime().type();
        List<RenderedFile> out = new ArrayList<>();
        for (Host h : spec.hosts()) {
            out.add(RenderedFile.of(h.name(), KUBERNETES_APT_LIST, 0644, kubernetesAptList(spec, v)).onlyFor(OsFamily.DEB));
            out.add(RenderedFile.of(h.name(), KUBERNETES_YUM_REPO, 0644, kubernetesYumRepo(spec, v)).onlyFor(OsFamily.RPM));
            keyFile(spec, h, PackageSource.KUBERNETES, out);
            if (runtime == RuntimeType.CRI_O) {
                out.add(RenderedFile.of(h.name(), CRIO_APT_LIST, 0644, crioAptList(spec, v)).onlyFor(OsFamily.DEB));
                out.add(RenderedFile.of(h.name(), CRIO_YUM_REPO, 0644, crioYumRepo(spec, v)).onlyFor(OsFamily.RPM));
                keyFile(spec, h, PackageSource.CRI_O, out);
            }
            if (usesDockerRepository(runtime)) {
                out.add(RenderedFile.of(h.name(), DOCKER_YUM_REPO, 0644, dockerYumRepo(spec)).onlyFor(OsFamily.RPM));
                keyFile(spec, h, PackageSource.DOCKER, out);
            }
        }
        return out;
    }

    /**
     * Where a mirrored repository's signing key comes from: a URL ({@code {minor}} filled in) the deb
     * hosts fetch, checked against {@code sha256} when the answers pin it, or a jump-host file
     * uploaded to {@code uploaded} (deb) and {@link #rpmKeyPath} (rpm). Null for a public repository,
     * whose key the plan fetches from beside the repository.
     */
    public record MirrorKey(String url, String uploaded, String sha256) {}

    public static MirrorKey mirrorKey(ClusterSpec spec, PackageSource source) {
        PackageMirror m = spec.mirrors().packages(source);
        if (m == null) return null;
        if (m.keyIsFile()) return new MirrorKey("", debKeyPath(source), m.keySha256());
        return new MirrorKey(minor(m.key(), spec.version()), "", m.keySha256());
    }

    /** The keyring a source's apt line names in signed-by. */
    public static String aptKeyring(PackageSource source) {
        return switch (source) {
            case KUBERNETES -> KUBERNETES_APT_KEYRING;
            case CRI_O -> CRIO_APT_KEYRING;
            case DOCKER -> DOCKER_APT_KEYRING;
        };
    }

    /** Where a jump-host key file goes on deb hosts, before the plan turns it into the keyring. */
    static String debKeyPath(PackageSource source) { return "/etc/apt/keyrings/" + source.yaml() + "-mirror.key"; }

    /** Where a jump-host key file goes on rpm hosts; gpgkey= names it. */
    static String rpmKeyPath(PackageSource source) { return "/etc/pki/rpm-gpg/" + source.yaml() + "-mirror.key"; }

    private static void keyFile(ClusterSpec spec, Host h, PackageSource source, List<RenderedFile> out) {
        PackageMirror m = spec.mirrors().packages(source);
        if (m == null || !m.keyIsFile()) return;
        out.add(RenderedFile.ofLocal(h.name(), debKeyPath(source), 0644, m.key(), m.keySha256()).onlyFor(OsFamily.DEB));
        out.add(RenderedFile.ofLocal(h.name(), rpmKeyPath(source), 0644, m.key(), m.keySha256()).onlyFor(OsFamily.RPM));
    }

    /** A mirror URL with its {minor} placeholder filled in. */
    /** A mirror URL with {@code {minor}} filled in: the Kubernetes minor ("v1.35"). */
    public static String minor(String url, KubernetesVersion v) { return url.replace("{minor}", v.minorTag()); }

    private static String withSlash(String url) { return url.endsWith("/") ? url : url + "/"; }

    /** The gpgkey= of a mirrored rpm repository. */
    private static String rpmKey(ClusterSpec spec, PackageSource source, PackageMirror m) {
        return m.keyIsFile() ? "file://" + rpmKeyPath(source) : minor(m.key(), spec.version());
    }

    /** Whether the runtime's packages come from Docker's repository (containerd.io, docker-ce). */
    public static boolean usesDockerRepository(RuntimeType runtime) {
        return runtime == RuntimeType.CONTAINERD || runtime == RuntimeType.DOCKER;
    }

    /**
     * kubelet, kubeadm and kubectl pinned to the cluster's version, as the package manager of the
     * family takes them. deb: {@code kubelet=1.35.2-*}. pkgs.k8s.io names its debs 1.35.2-1.1, but a
     * rebuild republishes a release under the next revision (1.29.4 exists only as 1.29.4-2.1), so
     * the revision is a glob; the "-" keeps 1.35.2 from matching 1.35.20. A shell must get the glob
     * quoted. rpm: {@code kubelet-1.35.2}, which dnf/yum match against name-version and resolve to
     * the newest release (1.35.2-150500.1.1).
     */
    public static List<String> kubernetesPackages(KubernetesVersion version, OsFamily family) {
        String separator = switch (family) {
            case DEB -> "=";
            case RPM -> "-";
            case ANY -> throw new IllegalArgumentException("packages are named per family: DEB or RPM, not ANY");
        };
        String suffix = family == OsFamily.DEB ? "-*" : "";
        return HELD_PACKAGES.stream().map(p -> p + separator + version + suffix).toList();
    }

    /**
     * The runtime's packages: unpinned, because their repositories already select the line (CRI-O's
     * is per Kubernetes minor) and runtimes take patch releases freely. cri-dockerd is not listed:
     * no repository carries it ({@link #criDockerdTarballs}).
     */
    public static List<String> runtimePackages(RuntimeType runtime, OsFamily family) {
        if (family == OsFamily.ANY) throw new IllegalArgumentException("packages are named per family: DEB or RPM, not ANY");
        return switch (runtime) {
            case CONTAINERD -> List.of("containerd.io");
            case CRI_O -> List.of("cri-o");
            case DOCKER -> List.of("docker-ce", "docker-ce-cli", "containerd.io");
        };
    }

    /**
     * The static Linux builds of cri-dockerd {@link #CRI_DOCKERD_VERSION}, by the machine name
     * {@code uname -m} prints: Mirantis publishes them for amd64 and arm64 only.
     */
    public static Map<String, String> criDockerdTarballs() {
        Map<String, String> byMachine = new LinkedHashMap<>();
        for (List<String> m : io.kubewizard.answers.Downloadables.MACHINES) {
            byMachine.put(m.get(0), "https://github.com/Mirantis/cri-dockerd/releases/download/v" + CRI_DOCKERD_VERSION
                    + "/cri-dockerd-" + CRI_DOCKERD_VERSION + "." + m.get(1) + ".tgz");
        }
        return Collections.unmodifiableMap(byMachine);
    }

    /**
     * The repository a source's packages of a family come from, as the rendered files name it: the
     * mirror's {@code deb} / {@code rpm} URL ({@code {minor}} filled in) when {@code mirrors.packages}
     * has the source, else the public one; "" when the mirror gives no URL for the family. Always
     * ending in "/". For Docker, deb is the directory that holds the distributions (append {@code ID/})
     * and rpm keeps yum's {@code $releasever} and {@code $basearch}, which the caller fills in.
     */
    public static String repositoryUrl(ClusterSpec spec, PackageSource source, OsFamily family) {
        if (family == OsFamily.ANY) throw new IllegalArgumentException("repositories are per family: DEB or RPM, not ANY");
        KubernetesVersion v = spec.version();
        PackageMirror m = spec.mirrors().packages(source);
        if (m != null) {
            String url = family == OsFamily.DEB ? m.deb() : m.rpm();
            return url.isEmpty() ? "" : withSlash(minor(url, v));
        }
        String sub = family == OsFamily.DEB ? "deb/" : "rpm/";
        return switch (source) {
            case KUBERNETES -> kubernetesBase(v) + sub;
            case CRI_O -> crioBase(v) + sub;
            case DOCKER -> family == OsFamily.DEB ? DOCKER_LINUX : DOCKER_LINUX + "centos/$releasever/$basearch/stable/";
        };
    }

    private static String kubernetesBase(KubernetesVersion v) {
        return "https://pkgs.k8s.io/core:/stable:/" + v.minorTag() + "/";
    }

    private static String crioBase(KubernetesVersion v) {
        return "https://download.opensuse.org/repositories/isv:/cri-o:/stable:/" + v.minorTag() + "/";
    }

    private static String kubernetesAptList(ClusterSpec spec, KubernetesVersion v) {
        PackageMirror m = spec.mirrors().packages(PackageSource.KUBERNETES);
        if (m != null) return mirrorAptList("Kubernetes " + v.minorTag(), KUBERNETES_APT_KEYRING, m.deb(), v);
        return "# Written by kubewizard: Kubernetes " + v.minorTag() + " from pkgs.k8s.io, which has one repository per\n"
                + "# minor version, so a minor upgrade starts by changing this line.\n"
                + "deb [signed-by=" + KUBERNETES_APT_KEYRING + "] " + kubernetesBase(v) + "deb/ /\n";
    }

    private static String kubernetesYumRepo(ClusterSpec spec, KubernetesVersion v) {
        PackageMirror m = spec.mirrors().packages(PackageSource.KUBERNETES);
        if (m != null) {
            return mirrorYumRepo("Kubernetes " + v.minorTag(), KUBERNETES_YUM_REPO_ID, "Kubernetes", m.rpm(), v,
                    rpmKey(spec, PackageSource.KUBERNETES, m), "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n");
        }
        return "# Written by kubewizard: Kubernetes " + v.minorTag() + " from pkgs.k8s.io, one repository per minor version.\n"
                + "# exclude= keeps routine updates away from the cluster's packages; kubewizard installs them\n"
                + "# with --disableexcludes=" + KUBERNETES_YUM_REPO_ID + ".\n"
                + "[" + KUBERNETES_YUM_REPO_ID + "]\n"
                + "name=Kubernetes\n"
                + "baseurl=" + kubernetesBase(v) + "rpm/\n"
                + "enabled=1\n"
                + "gpgcheck=1\n"
                + "gpgkey=" + kubernetesBase(v) + "rpm/repodata/repomd.xml.key\n"
                + "exclude=kubelet kubeadm kubectl cri-tools kubernetes-cni\n";
    }

    private static String crioAptList(ClusterSpec spec, KubernetesVersion v) {
        PackageMirror m = spec.mirrors().packages(PackageSource.CRI_O);
        if (m != null) return mirrorAptList("CRI-O " + v.minorTag(), CRIO_APT_KEYRING, m.deb(), v);
        return "# Written by kubewizard: CRI-O " + v.minorTag() + ", the minor of Kubernetes, which CRI-O's releases follow.\n"
                + "deb [signed-by=" + CRIO_APT_KEYRING + "] " + crioBase(v) + "deb/ /\n";
    }

    private static String crioYumRepo(ClusterSpec spec, KubernetesVersion v) {
        PackageMirror m = spec.mirrors().packages(PackageSource.CRI_O);
        if (m != null) return mirrorYumRepo("CRI-O " + v.minorTag(), "cri-o", "CRI-O", m.rpm(), v, rpmKey(spec, PackageSource.CRI_O, m), "");
        return "# Written by kubewizard: CRI-O " + v.minorTag() + ", the minor of Kubernetes, which CRI-O's releases follow.\n"
                + "[cri-o]\n"
                + "name=CRI-O\n"
                + "baseurl=" + crioBase(v) + "rpm/\n"
                + "enabled=1\n"
                + "gpgcheck=1\n"
                + "gpgkey=" + crioBase(v) + "rpm/repodata/repomd.xml.key\n";
    }

    private static String dockerYumRepo(ClusterSpec spec) {
        PackageMirror m = spec.mirrors().packages(PackageSource.DOCKER);
        if (m != null) {
            return mirrorYumRepo("containerd.io and docker-ce", "docker-ce-stable", "Docker CE Stable - $basearch", m.rpm(),
                    spec.version(), rpmKey(spec, PackageSource.DOCKER, m), "");
        }
        return """
                # Written by kubewizard: containerd.io (and docker-ce) come from Docker's repository, because EL
                # distributions ship no containerd. yum expands $releasever and $basearch on each host.
                [docker-ce-stable]
                name=Docker CE Stable - $basearch
                baseurl=%1$scentos/$releasever/$basearch/stable
                enabled=1
                gpgcheck=1
                gpgkey=%1$scentos/gpg
                """.formatted(DOCKER_LINUX);
    }

    /**
     * The source line of a mirrored apt repository: the answers' deb URL as the repository (flat, like
     * pkgs.k8s.io's: suite "/"). With no deb URL the file says so and names no repository, and a deb
     * host then has nothing to install from: the answers chose rpm only.
     */
    private static String mirrorAptList(String what, String keyring, String deb, KubernetesVersion v) {
        if (deb.isEmpty()) return "# Written by kubewizard: " + what + " has no deb mirror in the answers (mirrors.packages).\n";
        return "# Written by kubewizard: " + what + " from the mirror the answers name (mirrors.packages).\n"
                + "deb [signed-by=" + keyring + "] " + withSlash(minor(deb, v)) + " /\n";
    }

    private static String mirrorYumRepo(String what, String id, String name, String rpm, KubernetesVersion v, String gpgkey,
                                        String extra) {
        if (rpm.isEmpty()) return "# Written by kubewizard: " + what + " has no rpm mirror in the answers (mirrors.packages).\n";
        return "# Written by kubewizard: " + what + " from the mirror the answers name (mirrors.packages).\n"
                + "[" + id + "]\n"
                + "name=" + name + "\n"
                + "baseurl=" + withSlash(minor(rpm, v)) + "\n"
                + "enabled=1\n"
                + "gpgcheck=1\n"
                + "gpgkey=" + gpgkey + "\n"
                + extra;
    }
}
