package io.kubewizard.answers;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.RuntimeType;

import java.util.ArrayList;
import java.util.List;

/**
 * The files a cluster's nodes download beside packages and images: the CNI's manifests or chart,
 * cri-dockerd for Docker Engine, Helm for cilium. Each has a name (the key of
 * {@code mirrors.downloads.files} and {@code mirrors.downloads.sha256}, and what the nodes fetch
 * from {@code mirrors.downloads.baseUrl}) and the public URL it comes from without mirrors.
 * The versions are the ones kubewizard was tested with; render and plan take them from here.
 */
public final class Downloadables {
    private Downloadables() {}

    public static final String CALICO_VERSION = "v3.32.2";
    public static final String FLANNEL_VERSION = "v0.27.4";
    public static final String CILIUM_VERSION = "1.18.5";
    public static final String CILIUM_HELM_REPO = "https://helm.cilium.io/";
    /** The cri-dockerd release the plan installs; its tarballs hold {@code cri-dockerd/cri-dockerd}. */
    public static final String CRI_DOCKERD_VERSION = "0.4.10";
    public static final String HELM_VERSION = "v3.19.2";

    /** What a download is for, so the plan finds the one it needs. */
    public enum Use { CNI_MANIFEST, CILIUM_CHART, HELM, CRI_DOCKERD }

    /**
     * @param machine the {@code uname -m} the file is built for ("x86_64", "aarch64"); "" when any
     */
    public record Download(String name, String publicUrl, Use use, String machine) {}

    /** The machines cri-dockerd and Helm publish Linux builds for, by {@code uname -m}, with their Go names. */
    public static final List<List<String>> MACHINES = List.of(List.of("x86_64", "amd64"), List.of("aarch64", "arm64"));

    /**
     * The CNI version to install, spelt as the project tags it: "v3.32.2" for calico and flannel,
     * "1.18.5" for cilium's chart; empty for cni none.
     */
    public static String cniVersion(ClusterSpec spec) {
        Cni cni = spec.network().cni();
        String asked = spec.network().cniVersion();
        String v = switch (cni) {
            case CALICO -> asked.isEmpty() ? CALICO_VERSION : asked;
            case FLANNEL -> asked.isEmpty() ? FLANNEL_VERSION : asked;
            case CILIUM -> asked.isEmpty() ? CILIUM_VERSION : asked;
            case NONE -> "";
        };
        boolean tagWithV = cni == Cni.CALICO || cni == Cni.FLANNEL;
        if (tagWithV && !v.startsWith("v")) return "v" + v;
        if (!tagWithV && v.startsWith("v")) return v.substring(1);
        return v;
    }

    /** Every download the answers' cluster needs, in the order the plan uses them. */
    public static List<Download> of(ClusterSpec spec) {
        List<Download> out = new ArrayList<>();
        if (spec.runtime().type() == RuntimeType.DOCKER) {
            for (List<String> m : MACHINES) {
                String name = "cri-dockerd-" + CRI_DOCKERD_VERSION + "." + m.get(1) + ".tgz";
                out.add(new Download(name, "https://github.com/Mirantis/cri-dockerd/releases/download/v"
                        + CRI_DOCKERD_VERSION + "/" + name, Use.CRI_DOCKERD, m.get(0)));
            }
        }
        String v = cniVersion(spec);
        switch (spec.network().cni()) {
            case CALICO -> {
                String base = "https://raw.githubusercontent.com/projectcalico/calico/" + v + "/manifests/";
                // From v3.30 the operator's CRDs ship in their own file; before, tigera-operator.yaml held them.
                List<String> files = calicoSplitsCrds(v) ? List.of("operator-crds.yaml", "tigera-operator.yaml")
                        : List.of("tigera-operator.yaml");
                for (String f : files) out.add(new Download("calico-" + v + "-" + f, base + f, Use.CNI_MANIFEST, ""));
            }
            case FLANNEL -> out.add(new Download("kube-flannel-" + v + ".yml",
                    "https://github.com/flannel-io/flannel/releases/download/" + v + "/kube-flannel.yml", Use.CNI_MANIFEST, ""));
            case CILIUM -> {
                out.add(new Download("cilium-" + v + ".tgz", CILIUM_HELM_REPO + "cilium-" + v + ".tgz", Use.CILIUM_CHART, ""));
                for (List<String> m : MACHINES) {
                    String name = "helm-" + HELM_VERSION + "-linux-" + m.get(1) + ".tar.gz";
                    out.add(new Download(name, "https://get.helm.sh/" + name, Use.HELM, m.get(0)));
                }
            }
            case NONE -> { }
        }
        return out;
    }

    private static boolean calicoSplitsCrds(String tag) {
        // a cniVersion that is no version is the rules' to refuse; until then, the current layout
        if (!tag.matches("v\\d+\\.\\d+.*")) return true;
        String[] parts = tag.substring(1).split("\\.");
        int major = Integer.parseInt(parts[0]);
        int minor = Integer.parseInt(parts[1]);
        return major > 3 || (major == 3 && minor >= 30);
    }
}
