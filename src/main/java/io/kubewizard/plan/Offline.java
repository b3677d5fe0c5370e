package io.kubewizard.plan;

import io.kubewizard.answers.Spec.PackageSource;
import io.kubewizard.answers.Spec.RuntimeType;
import io.kubewizard.render.OfflineFiles;

import java.util.List;

/**
 * The commands that install from an offline bundle (offline.directory): the packages the source's
 * list names (render's {@link OfflineFiles}), with their other dependencies from the host's own OS
 * repositories, and the images into the runtime before kubeadm looks for them. Nothing is fetched
 * from the bundle's sources.
 */
final class Offline {
    private Offline() {}

    /** The package files of a source this host takes: those of its distribution (Docker's) or of any. */
    private static String select(PackageSource source, String distribution, String option) {
        String list = Shell.quote(OfflineFiles.packageList(source));
        return ". /etc/os-release && d=" + distribution
                + " && f=\"$(awk -v d=\"$d\" '$1 == \"-\" || $1 == d { print $2 }' " + list + ")\""
                + " && if [ -z \"$f\" ]; then echo \"the bundle holds no " + source.yaml() + " packages for this host ($d):"
                + " make it again with kubewizard bundle " + option + "\" >&2; exit 1; fi";
    }

    /** apt-get install of the source's .deb files, then the extra commands. */
    static String deb(PackageSource source, String flags) {
        return select(source, "\"$ID-$VERSION_CODENAME\"", "--distribution $ID:$VERSION_CODENAME")
                + " && DEBIAN_FRONTEND=noninteractive apt-get install -y " + (flags.isEmpty() ? "" : flags + " ") + "$f";
    }

    /** dnf install of the source's .rpm files. */
    static String rpm(PackageSource source) {
        return select(source, "\"el${VERSION_ID%%.*}\"", "--releasever ${VERSION_ID%%.*}") + " && dnf install -y $f";
    }

    /** The source of the runtime's packages. */
    static PackageSource runtimeSource(RuntimeType type) {
        return type == RuntimeType.CRI_O ? PackageSource.CRI_O : PackageSource.DOCKER;
    }

    /** Imports every image of the host's list into the runtime kubeadm and the kubelet use. */
    static List<String> importImages(RuntimeType type) {
        String list = Shell.quote(OfflineFiles.IMAGE_LIST);
        String each = switch (type) {
            case CONTAINERD -> "ctr -n k8s.io images import \"$f\"";
            case DOCKER -> "docker load -i \"$f\"";
            case CRI_O -> "skopeo copy \"oci-archive:$f\" \"containers-storage:$name\"";
        };
        // each importer gets /dev/null as its input: the list is the loop's, and a program reading stdin would eat it
        return List.of("while read -r name f; do " + each + " </dev/null || { echo \"cannot import $name from $f\" >&2; exit 1; }; done < " + list);
    }

    /** Holds once every image of the list is in the runtime. */
    static String imagesPresent(RuntimeType type) {
        String list = Shell.quote(OfflineFiles.IMAGE_LIST);
        String has = switch (type) {
            case CONTAINERD -> "printf '%s\\n' \"$have\" | grep -qxF \"$name\"";
            case DOCKER -> "docker image inspect \"$name\" >/dev/null 2>&1 </dev/null";
            case CRI_O -> "crictl inspecti \"$name\" >/dev/null 2>&1 </dev/null";
        };
        String have = type == RuntimeType.CONTAINERD ? "have=\"$(ctr -n k8s.io images ls -q)\" && " : "";
        return "test -s " + list + " && " + have + "while read -r name f; do " + has + " || exit 1; done < " + list;
    }
}
