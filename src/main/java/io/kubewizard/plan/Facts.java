package io.kubewizard.plan;

import io.kubewizard.render.RenderedFile.OsFamily;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the facts step learnt about one host, parsed from its commands' output. The package family
 * decides which command variants and files the host gets; the rest feeds preflight.
 *
 * @param family          null when /etc/os-release names no family kubewizard installs on
 * @param swaps           active swap devices or files (from /proc/swaps)
 * @param macs            MAC addresses of the host's interfaces, loopback's all-zero one left out
 * @param productUuid     empty when the host has no DMI table (some VMs and containers)
 * @param tcpPorts        TCP ports something listens on
 * @param ipForward       net.ipv4.ip_forward as read, empty when unknown
 * @param binaries        which of {@link #BINARIES} the host has
 */
public record Facts(String osId, List<String> osIdLike, String osName, OsFamily family, String arch, int cpus,
                    long memoryKb, List<String> swaps, String hostname, List<String> macs, String productUuid,
                    SortedSet<Integer> tcpPorts, String ipForward, List<String> binaries) {

    public Facts {
        osIdLike = List.copyOf(osIdLike);
        swaps = List.copyOf(swaps);
        macs = List.copyOf(macs);
        tcpPorts = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(tcpPorts));
        binaries = List.copyOf(binaries);
    }

    private static final Set<String> DEB = Set.of("debian", "ubuntu");
    private static final Set<String> RPM = Set.of("rhel", "fedora", "centos", "rocky", "almalinux");

    public long memoryMb() { return memoryKb / 1024; }

    /** Reads the facts of a host: the facts step's commands and their parser, in one place. */
    public static final Reading<Facts> READING = new Reading<>() {
        public String id() { return "facts"; }

        public List<String> commands() { return COMMANDS; }

        public Facts parse(List<String> outputs) { return Facts.parse(outputs); }

        @Override
        public String toString() { return "facts"; }
    };

    static final String OS_RELEASE = "cat /etc/os-release";
    static final String ARCH = "uname -m";
    static final String CPUS = "nproc";
    static final String MEMINFO = "cat /proc/meminfo";
    static final String SWAPS = "cat /proc/swaps";
    static final String HOSTNAME = "hostname";
    static final String MACS = "cat /sys/class/net/*/address";
    /** Some virtual machines and containers have no DMI table: the fact is then unknown, not fatal. */
    static final String PRODUCT_UUID = "cat /sys/class/dmi/id/product_uuid 2>/dev/null || true";
    static final String PORTS = "ss -Htlnu";
    public static final String IP_FORWARD = "cat /proc/sys/net/ipv4/ip_forward";

    /**
     * Programs the plan runs before it installs anything, and those kubeadm's preflight refuses to
     * run without (crictl comes with the kube packages, so it is not asked for here).
     */
    public static final List<String> COMMON = List.of("awk", "grep", "sed", "sha256sum", "ss", "sysctl", "modprobe",
            "swapoff", "systemctl", "ip", "mount", "nsenter");

    public static final List<String> BINARIES = java.util.stream.Stream.concat(COMMON.stream(),
            java.util.stream.Stream.of("apt-get", "dnf")).toList();

    /** Prints the name of each of {@link #BINARIES} the host has; never fails. */
    public static final String BINARIES_PROBE = "for b in " + String.join(" ", BINARIES)
            + "; do command -v \"$b\" >/dev/null 2>&1 && echo \"$b\"; done; true";

    /** The commands, in the order {@link #parse} reads their outputs. */
    public static final List<String> COMMANDS = List.of(OS_RELEASE, ARCH, CPUS, MEMINFO, SWAPS, HOSTNAME, MACS,
            PRODUCT_UUID, PORTS, IP_FORWARD, BINARIES_PROBE);

    /** What a host of this family must have before apply starts. */
    public static List<String> required(OsFamily family) {
        List<String> out = new ArrayList<>(COMMON);
        out.add(family == OsFamily.RPM ? "dnf" : "apt-get");
        return out;
    }

    /**
     * Parses the output of each of {@link #COMMANDS}, in that order.
     *
     * @throws IllegalArgumentException naming the command whose output made no sense
     */
    public static Facts parse(List<String> outputs) {
        if (outputs.size() != COMMANDS.size()) {
            throw new IllegalArgumentException("the facts step ran " + outputs.size() + " commands, not " + COMMANDS.size());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < COMMANDS.size(); i++) out.put(COMMANDS.get(i), outputs.get(i));
        Map<String, String> release = osRelease(out.get(OS_RELEASE));
        String id = release.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        List<String> like = List.of(release.getOrDefault("ID_LIKE", "").toLowerCase(Locale.ROOT).split("\\s+"))
                .stream().filter(s -> !s.isEmpty()).toList();
        String name = release.getOrDefault("PRETTY_NAME", id);
        return new Facts(id, like, name, family(id, like), out.get(ARCH).strip(),
                integer(CPUS, out.get(CPUS).strip()), memTotal(out.get(MEMINFO)), swaps(out.get(SWAPS)),
                out.get(HOSTNAME).strip(), macs(out.get(MACS)), out.get(PRODUCT_UUID).strip(), tcpPorts(out.get(PORTS)),
                out.get(IP_FORWARD).strip(), present(out.get(BINARIES_PROBE)));
    }

    public static OsFamily family(String id, List<String> like) {
        List<String> names = new ArrayList<>();
        names.add(id);
        names.addAll(like);
        if (names.stream().anyMatch(DEB::contains)) return OsFamily.DEB;
        if (names.stream().anyMatch(RPM::contains)) return OsFamily.RPM;
        return null;
    }

    private static Map<String, String> osRelease(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) continue;
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            m.put(line.substring(0, eq).strip(), value);
        }
        return m;
    }

    private static int integer(String command, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + command + "' printed '" + text + "', not a number");
        }
    }

    private static long memTotal(String meminfo) {
        for (String line : meminfo.split("\n")) {
            if (!line.startsWith("MemTotal:")) continue;
            String[] f = line.substring("MemTotal:".length()).strip().split("\\s+");
            try {
                return Long.parseLong(f[0]);
            } catch (NumberFormatException e) {
                break;
            }
        }
        throw new IllegalArgumentException("/proc/meminfo has no MemTotal line");
    }

    /** /proc/swaps: a header, then one line per active swap area, its name first. */
    private static List<String> swaps(String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].strip().split("\\s+")[0];
            if (!name.isEmpty()) out.add(name);
        }
        return out;
    }

    private static List<String> macs(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String mac = line.strip().toLowerCase(Locale.ROOT);
            if (!mac.isEmpty() && !mac.equals("00:00:00:00:00:00")) out.add(mac);
        }
        return new ArrayList<>(out);
    }

    /**
     * {@code ss -Htlnu}: with TCP and UDP asked for, each line starts with its protocol; the local
     * address:port is then the fifth field ({@code 0.0.0.0:22}, {@code [::]:6443}, {@code *:10250},
     * {@code 127.0.0.53%lo:53}).
     */
    private static SortedSet<Integer> tcpPorts(String text) {
        SortedSet<Integer> out = new TreeSet<>();
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length < 5 || !f[0].equals("tcp")) continue;
            String local = f[4];
            int colon = local.lastIndexOf(':');
            try {
                out.add(Integer.parseInt(local.substring(colon + 1)));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                // a port ss shows by name cannot happen with -n; anything else is not a listener line
            }
        }
        return out;
    }

    private static List<String> present(String text) {
        return List.of(text.split("\\s+")).stream().filter(s -> !s.isEmpty()).toList();
    }

    /** For the journal, so a resumed run knows each host without asking it again. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("osId", osId);
        m.put("osIdLike", osIdLike);
        m.put("osName", osName);
        m.put("family", family == null ? null : family.name());
        m.put("arch", arch);
        m.put("cpus", cpus);
        m.put("memoryKb", memoryKb);
        m.put("swaps", swaps);
        m.put("hostname", hostname);
        m.put("macs", macs);
        m.put("productUuid", productUuid);
        m.put("tcpPorts", new ArrayList<>(tcpPorts).stream().map(p -> (Object) p).toList());
        m.put("ipForward", ipForward);
        m.put("binaries", binaries);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static Facts fromJson(Map<String, Object> m) {
        String family = (String) m.get("family");
        SortedSet<Integer> ports = new TreeSet<>();
        for (Object p : (List<Object>) m.get("tcpPorts")) ports.add(((Long) p).intValue());
        return new Facts((String) m.get("osId"), (List<String>) m.get("osIdLike"), (String) m.get("osName"),
                family == null ? null : OsFamily.valueOf(family), (String) m.get("arch"),
                ((Long) m.get("cpus")).intValue(), (Long) m.get("memoryKb"), (List<String>) m.get("swaps"),
                (String) m.get("hostname"), (List<String>) m.get("macs"), (String) m.get("productUuid"), ports,
                (String) m.get("ipForward"), (List<String>) m.get("binaries"));
    }
}
