package io.kubewizard.plan;

import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile;

import java.util.ArrayList;
import java.util.List;

/**
 * The pod network and other add-on manifests, applied in path order from the first control plane.
 * Server-side apply, because operator CRDs (Calico's) outgrow the annotation client-side apply
 * keeps; a file that defines CRDs is followed by a wait, so the next file's custom resources find them.
 */
final class InstallCni implements PlanPhase {
    public String id() { return "cni"; }

    public String title() { return "Install the pod network"; }

    public void addSteps(Draft d) {
        Host first = d.spec.firstControlPlane();
        if (first == null) return;
        List<RenderedFile> manifests = d.take(first, Route.ADDON);
        if (manifests.isEmpty()) return;
        List<String> run = new ArrayList<>();
        for (RenderedFile f : manifests) {
            run.add(Paths.KUBECTL + " apply --server-side --force-conflicts -f " + Shell.quote(f.path()));
            if (f.content().contains("kind: CustomResourceDefinition")) {
                run.add(Paths.KUBECTL + " wait --for=condition=Established --timeout=120s crd --all");
            }
        }
        d.add("cni/apply", first, "Apply the " + d.spec.network().cni().yaml() + " manifests").upload(manifests).run(run);
    }
}
