package io.kubewizard.tui;

import io.kubewizard.answers.KubernetesVersion;
import io.kubewizard.answers.Spec.CgroupDriver;
import io.kubewizard.answers.Spec.RuntimeType;

import java.util.List;

/** Container runtime, cgroup driver (kubelet always gets the same one) and sandbox image. */
final class RuntimePage extends FormPage {
    RuntimePage(Wizard w) { super(w); }

    @Override
    String id() { return "runtime"; }

    @Override
    String[] fields() { return new String[] {"runtime"}; }

    @Override
    List<String> labels() { return List.of(label("type"), label("cgroup"), label("sandbox")); }

    @Override
    void rows(Form f) {
        f.field(label("type"), radios(RuntimeType.values(), t -> label("type." + t.yaml()),
                () -> w.state.runtime, t -> w.state.runtime = t), "runtime.type");
        f.field(label("cgroup"), combo(CgroupDriver.values(), () -> w.state.cgroupDriver, d -> w.state.cgroupDriver = d),
                "runtime.cgroupDriver");
        f.note(label("cgroupNote"));
        f.field(label("sandbox"), text(40, () -> w.state.sandboxImage, t -> w.state.sandboxImage = t),
                "runtime.sandboxImage");
        KubernetesVersion v = KubernetesVersion.parse(w.state.kubernetesVersion());
        String pause = w.state.imageRepository.trim() + "/pause:" + (v != null ? v.pauseTag() : "?");
        f.note(w.msg.get("page.runtime.sandboxNote", pause));
    }
}
