package io.kubewizard.answers;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes release kubewizard knows, and the facts that depend on its minor version
 * (docs/kubeadm.md, "Versions"): support status, kubeadm config API, default pause and etcd images.
 */
public record KubernetesVersion(int major, int minor, int patch) implements Comparable<KubernetesVersion> {

    private static final Pattern FORM = Pattern.compile("v?(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,4})");

    /** Oldest and newest minor kubewizard installs; 1.35–1.37 are maintained in late 2026. */
    public static final int OLDEST_MINOR = 30;
    public static final int OLDEST_SUPPORTED_MINOR = 35;
    public static final int NEWEST_MINOR = 37;

    /** The default version of a new answers file: the newest patch we tested of the middle maintained minor. */
    public static final String DEFAULT = "1.35.2";

    public enum Support { SUPPORTED, OUT_OF_SUPPORT, UNKNOWN }

    /**
     * The newest patch of each minor this kubewizard was tested with: where an upgrade that crosses
     * a minor stops on its way ("1.34 to 1.36" runs 1.34 → 1.35.x → 1.36.y).
     */
    private static final java.util.Map<Integer, Integer> LATEST_PATCH = java.util.Map.of(30, 14, 31, 13, 32, 10, 33, 6,
            34, 3, 35, 2, 36, 1, 37, 0);

    /** The newest patch of a minor this kubewizard knows; null for a minor it does not know. */
    public static KubernetesVersion latest(int minor) {
        Integer patch = LATEST_PATCH.get(minor);
        return patch == null ? null : new KubernetesVersion(1, minor, patch);
    }

    /**
     * The versions an upgrade from this one to {@code target} passes through, one minor at a time,
     * {@code target} last: each intermediate minor at its newest known patch. Empty when there is
     * nothing to do (or {@code target} is older: a downgrade, which is not done).
     */
    public List<KubernetesVersion> legsTo(KubernetesVersion target) {
        List<KubernetesVersion> legs = new java.util.ArrayList<>();
        if (target.compareTo(this) <= 0) return legs;
        for (int m = minor + 1; m < target.minor; m++) {
            KubernetesVersion step = latest(m);
            legs.add(step != null ? step : new KubernetesVersion(1, m, 0));
        }
        legs.add(target);
        return legs;
    }

    /** Versions newer than this one that an upgrade may go to, newest first: each known minor's newest patch. */
    public List<KubernetesVersion> upgradesKnown() {
        List<KubernetesVersion> out = new java.util.ArrayList<>();
        for (int m = NEWEST_MINOR; m >= minor; m--) {
            KubernetesVersion v = latest(m);
            if (v != null && v.compareTo(this) > 0) out.add(v);
        }
        return out;
    }

    /** Parses "1.35.2" (a leading "v" is tolerated); null when it is not of the form x.y.z. */
    public static KubernetesVersion parse(String text) {
        if (text == null) return null;
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) return null;
        return new KubernetesVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    /** Every minor version kubewizard can install, newest first, for pickers. */
    public static List<String> knownMinors() {
        List<String> out = new java.util.ArrayList<>();
        for (int m = NEWEST_MINOR; m >= OLDEST_MINOR; m--) out.add("1." + m);
        return out;
    }

    public Support support() {
        if (major != 1 || minor < OLDEST_MINOR || minor > NEWEST_MINOR) return Support.UNKNOWN;
        return minor >= OLDEST_SUPPORTED_MINOR ? Support.SUPPORTED : Support.OUT_OF_SUPPORT;
    }

    /** "v1.35" — the pkgs.k8s.io repository path segment, one repository per minor. */
    public String minorTag() { return "v" + major + "." + minor; }

    /** "1.35" */
    public String minorString() { return major + "." + minor; }

    @Override
    public String toString() { return major + "." + minor + "." + patch; }

    /** kubeadm.k8s.io/v1beta4 from 1.31 on; v1beta3 for 1.30 and older. */
    public boolean usesV1beta4() { return minor >= 31; }

    public String kubeadmApiVersion() { return usesV1beta4() ? "kubeadm.k8s.io/v1beta4" : "kubeadm.k8s.io/v1beta3"; }

    /** The pause image tag kubeadm of this minor pins (docs/kubeadm.md: 1.35 pins 3.10.1). */
    public String pauseTag() {
        if (minor >= 35) return "3.10.1";
        if (minor >= 31) return "3.10";
        return "3.9";
    }

    /** The etcd image tag kubeadm of this minor pins for stacked etcd; external etcd uses the same. */
    public String etcdTag() {
        if (minor >= 34) return "3.6.6-0";
        if (minor >= 31) return "3.5.24-0";
        return "3.5.15-0";
    }

    /**
     * The CoreDNS tag kubeadm of this minor pins (docs/kubeadm.md "Versions": 1.35 pins v1.13.1;
     * {@code kubeadm config images list} on a node is authoritative).
     */
    public String coreDnsTag() {
        if (minor >= 35) return "v1.13.1";
        if (minor >= 34) return "v1.12.1";
        if (minor >= 33) return "v1.12.0";
        if (minor >= 31) return "v1.11.3";
        return "v1.11.1";
    }

    /** super-admin.conf exists from 1.29 on (admin.conf is bound to kubeadm:cluster-admins). */
    public boolean hasSuperAdmin() { return major > 1 || minor >= 29; }

    @Override
    public int compareTo(KubernetesVersion o) {
        if (major != o.major) return Integer.compare(major, o.major);
        if (minor != o.minor) return Integer.compare(minor, o.minor);
        return Integer.compare(patch, o.patch);
    }
}
