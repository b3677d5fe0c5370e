package io.kubewizard.plan;

import io.kubewizard.answers.Downloadables;
import io.kubewizard.answers.Spec.Cni;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.CniConfig;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;

/**
 * The pod network, installed from the first control plane once the API server answers. Server-side
 * apply throughout, because operator CRDs (Calico's) outgrow the annotation client-side apply keeps.
 * <ul>
 *   <li>calico: the tigera operator (its CRDs first), a wait for the CRDs, then our Installation,
 *       whose pool is the podSubnet; done once the Installation exists and its file is unchanged;</li>
 *   <li>flannel: its release manifest, then our net-conf.json applied into the kube-flannel-cfg
 *       ConfigMap under kubewizard's own field manager (the manifest's other keys stay), and a restart
 *       of the DaemonSet so it reads the network;</li>
 *   <li>cilium: Helm (installed when missing) with our values file;</li>
 *   <li>any other manifest under the add-on directories: applied in path order.</li>
 * </ul>
 */
final class InstallCni implements PlanPhase {
    private static final String APPLY = Paths.KUBECTL + " apply --server-side --force-conflicts";
    private static final String WAIT_FOR_CRDS = Paths.KUBECTL + " wait --for=condition=Established --timeout=120s crd --all";
    static final String HELM_VERSION = io.kubewizard.answers.Downloadables.HELM_VERSION;

    public String id() { return "cni"; }

    public String title() { return "Install the pod network"; }

    public void addSteps(Draft d) {
        Host first = d.lead();
        if (first == null) return;
        List<RenderedFile> manifests = d.take(first, Route.ADDON);
        Cni cni = d.spec.network().cni();
        if (manifests.isEmpty() && cni == Cni.NONE) return;
        List<String> run = new ArrayList<>();
        boolean mirrored = Downloads.fromFiles(d.spec);
        List<RenderedFile> uploads = new ArrayList<>(manifests);
        if (mirrored) {
            // the manifests from mirrors.downloads, each checked against its sha256, applied from the node's copy
            for (Downloadables.Download dl : Downloads.of(d.spec, Downloadables.Use.CNI_MANIFEST)) {
                run.add(Downloads.fetch(d.spec, dl));
                run.add(APPLY + " -f " + Shell.quote(Downloads.path(dl)));
            }
            uploads.addAll(Downloads.uploads(d.spec, first, Downloadables.of(d.spec).stream()
                    .filter(dl -> dl.use() != Downloadables.Use.CRI_DOCKERD).toList()));
        } else {
            for (String url : CniConfig.manifestUrls(d.spec)) run.add(APPLY + " -f " + Shell.quote(url));
        }
        if (cni == Cni.CALICO) run.add(WAIT_FOR_CRDS);
        for (RenderedFile f : manifests) {
            if (f.path().equals(CniConfig.FLANNEL_NET_CONF)) {
                run.add(Paths.KUBECTL + " -n kube-flannel create configmap kube-flannel-cfg --from-file=net-conf.json="
                        + Shell.quote(f.path()) + " --dry-run=client -o yaml | " + APPLY
                        + " --field-manager=kubewizard -f -");
                run.add(Paths.KUBECTL + " -n kube-flannel rollout restart daemonset/kube-flannel-ds");
            } else if (f.path().equals(CniConfig.CILIUM_VALUES) && mirrored) {
                run.add("command -v helm >/dev/null || { " + Downloads.fetchForMachine(d.spec,
                        Downloads.of(d.spec, Downloadables.Use.HELM), "Helm " + HELM_VERSION)
                        + " && tmp=$(mktemp -d) && tar -xz -C \"$tmp\" -f \"$f\" && install -m 0755 \"$tmp\"/linux-*/helm "
                        + "/usr/local/bin/helm && rm -rf \"$tmp\"; }");
                Downloadables.Download chart = Downloads.of(d.spec, Downloadables.Use.CILIUM_CHART).get(0);
                run.add(Downloads.fetch(d.spec, chart));
                run.add("helm upgrade --install cilium " + Shell.quote(Downloads.path(chart))
                        + " --namespace kube-system --kubeconfig " + Paths.ADMIN_CONF + " -f " + Shell.quote(f.path()));
            } else if (f.path().equals(CniConfig.CILIUM_VALUES)) {
                run.add("command -v helm >/dev/null || { arch=$(uname -m); case \"$arch\" in x86_64) arch=amd64;; "
                        + "aarch64) arch=arm64;; esac; tmp=$(mktemp -d) && curl -fsSL https://get.helm.sh/helm-"
                        + HELM_VERSION + "-linux-$arch.tar.gz | tar -xz -C \"$tmp\" && install -m 0755 \"$tmp/linux-$arch/helm\" "
                        + "/usr/local/bin/helm && rm -rf \"$tmp\"; }");
                run.add("helm upgrade --install cilium cilium --repo " + CniConfig.CILIUM_HELM_REPO + " --version "
                        + CniConfig.version(d.spec) + " --namespace kube-system --kubeconfig " + Paths.ADMIN_CONF
                        + " -f " + Shell.quote(f.path()));
            } else {
                run.add(APPLY + " -f " + Shell.quote(f.path()));
                if (f.content().contains("kind: CustomResourceDefinition")) run.add(WAIT_FOR_CRDS);
            }
        }
        var step = d.add("cni/apply", first, "Install " + cni.yaml()).upload(uploads).run(run);
        // Calico's Installation is applied last, so its presence says every command before it
        // succeeded. flannel and cilium are applied again on every run, which changes nothing that
        // is already so (server-side apply, helm upgrade).
        if (cni == Cni.CALICO) step.check(Paths.KUBECTL + " get -f " + Shell.quote(CniConfig.CALICO_INSTALLATION) + " >/dev/null 2>&1");
    }
}
