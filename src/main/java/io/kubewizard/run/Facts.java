package io.kubewizard.run;

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
 * @param binaries        which of {@link FactsCommands#BINARIES} the host has
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

    /**
     * Parses the output of each command of the facts step, matched by the command itself, so the
     * order the plan lists them in does not matter.
     *
     * @throws IllegalArgumentException naming the command whose output made no sense
     */
    public static Facts parse(List<String> commands, List<String> outputs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < commands.size(); i++) out.put(commands.get(i), outputs.get(i));
        Map<String, String> release = osRelease(required(out, "cat /etc/os-release"));
        String id = release.getOrDefault("ID", "").toLowerCase(Locale.ROOT);
        List<String> like = List.of(release.getOrDefault("ID_LIKE", "").toLowerCase(Locale.ROOT).split("\\s+"))
                .stream().filter(s -> !s.isEmpty()).toList();
        String name = release.getOrDefault("PRETTY_NAME", id);
        return new Facts(id, like, name, family(id, like), required(out, "uname -m").strip(),
                integer("nproc", required(out, "nproc").strip()), memTotal(required(out, "cat /proc/meminfo")),
                swaps(required(out, "cat /proc/swaps")), required(out, "hostname").strip(),
                macs(required(out, "cat /sys/class/net/*/address")),
                required(out, "cat /sys/class/dmi/id/product_uuid 2>/dev/null || true").strip(),
                tcpPorts(required(out, "ss -Htlnu")), out.getOrDefault(FactsCommands.IP_FORWARD, "").strip(),
                present(out.getOrDefault(FactsCommands.BINARIES_PROBE, "")));
    }

    static OsFamily family(String id, List<String> like) {
        List<String> names = new ArrayList<>();
        names.add(id);
        names.addAll(like);
        if (names.stream().anyMatch(DEB::contains)) return OsFamily.DEB;
        if (names.stream().anyMatch(RPM::contains)) return OsFamily.RPM;
        return null;
    }

    private static String required(Map<String, String> out, String command) {
        String text = out.get(command);
        if (text == null) throw new IllegalArgumentException("the facts step did not run '" + command + "'");
        return text;
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
    Map<String, Object> toJson() {
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
    static Facts fromJson(Map<String, Object> m) {
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
