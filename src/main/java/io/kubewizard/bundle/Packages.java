package io.kubewizard.bundle;

import io.kubewizard.bundle.Bundle.BundleException;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;

/**
 * The package indexes a bundle reads, with the JDK only: a deb repository's {@code Packages} (RFC 822
 * stanzas) and an rpm repository's repodata ({@code repomd.xml}, then the primary XML), and the
 * closure of a few packages over their dependencies within one index.
 */
final class Packages {
    private Packages() {}

    /** The families, as the manifest and the bundle's directories name them. */
    static final String DEB = "deb";
    static final String RPM = "rpm";
    /** The arch of a package that fits every machine: deb "all", rpm "noarch". */
    static final String ANY_ARCH = "all";

    /**
     * One package of an index. {@code arch} is an OCI name (amd64, arm64), {@link #ANY_ARCH}, or the
     * index's own name for an arch a bundle does not carry. {@code version} is the full version as the
     * package manager shows it (deb: the Version field; rpm: ver-rel, with "epoch:" when not 0);
     * {@code upstream} is the part before the revision (deb) or release (rpm).
     */
    record Pkg(String family, String name, String version, long epoch, String upstream, String revision, String arch,
               List<String> depends, List<String> provides, URI url, String sha256, long size) {
        String file() {
            String p = url.getPath();
            return p.substring(p.lastIndexOf('/') + 1);
        }
    }

    /** What one index offers; {@code url} names it in messages. */
    record Index(String url, List<Pkg> packages) {}

    /** The packages a closure takes and the dependencies the index does not have (sorted). */
    record Closure(List<Pkg> packages, Set<String> outside) {}

    // ---- deb ---------------------------------------------------------------------------------

    /** Parses a Packages file; Filename is resolved against {@code fileBase} (ending in "/"). */
    static List<Pkg> parseDeb(String text, URI fileBase) {
        List<Pkg> out = new ArrayList<>();
        for (Map<String, String> st : stanzas(text)) {
            String name = st.getOrDefault("package", "");
            String version = st.getOrDefault("version", "");
            String filename = st.getOrDefault("filename", "");
            if (name.isEmpty() || version.isEmpty() || filename.isEmpty()) continue;
            long epoch = 0;
            String rest = version;
            int colon = rest.indexOf(':');
            if (colon > 0) {
                try { epoch = Long.parseLong(rest.substring(0, colon)); } catch (NumberFormatException e) { epoch = 0; }
                rest = rest.substring(colon + 1);
            }
            int dash = rest.lastIndexOf('-');
            String upstream = dash < 0 ? rest : rest.substring(0, dash);
            String revision = dash < 0 ? "" : rest.substring(dash + 1);
            List<String> depends = new ArrayList<>(debRelation(st.getOrDefault("pre-depends", "")));
            depends.addAll(debRelation(st.getOrDefault("depends", "")));
            long size = 0;
            try { size = Long.parseLong(st.getOrDefault("size", "0").trim()); } catch (NumberFormatException e) { size = 0; }
            out.add(new Pkg(DEB, name, version, epoch, upstream, revision, debArch(st.getOrDefault("architecture", "")),
                    depends, debRelation(st.getOrDefault("provides", "")), fileBase.resolve(filename),
                    st.getOrDefault("sha256", "").toLowerCase(java.util.Locale.ROOT), size));
        }
        return out;
    }

    private static String debArch(String a) { return a.equals("all") ? ANY_ARCH : a; }

    /** The stanzas of an RFC 822 control file, field names lowercased, continuation lines joined. */
    static List<Map<String, String>> stanzas(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> cur = new LinkedHashMap<>();
        String last = null;
        for (String line : text.replace("\r", "").split("\n", -1)) {
            if (line.isBlank()) {
                if (!cur.isEmpty()) out.add(cur);
                cur = new LinkedHashMap<>();
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                cur.put(last, cur.get(last) + "\n" + line.strip());
            } else {
                int c = line.indexOf(':');
                if (c <= 0) continue;
                last = line.substring(0, c).trim().toLowerCase(java.util.Locale.ROOT);
                cur.put(last, line.substring(c + 1).trim());
            }
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }

    /**
     * The package names of a Depends-like field: the first alternative of each {@code a | b}, without
     * version constraints {@code (>= 1.2)}, arch qualifiers {@code :any} or arch lists {@code [amd64]}.
     */
    static List<String> debRelation(String field) {
        List<String> out = new ArrayList<>();
        for (String part : field.split(",")) {
            String first = part.split("\\|")[0].trim();
            int cut = first.length();
            for (char stop : new char[] {' ', '(', '[', '<', ':', '\n', '\t'}) {
                int i = first.indexOf(stop);
                if (i >= 0) cut = Math.min(cut, i);
            }
            String name = first.substring(0, cut);
            if (!name.isEmpty()) out.add(name);
        }
        return out;
    }

    // ---- rpm ---------------------------------------------------------------------------------

    /** A repodata file repomd.xml names: its location and the checksum of the file as stored. */
    record DataFile(String href, String checksumType, String checksum) {}

    /** The {@code primary} data of a repomd.xml, or null when it names none. */
    static DataFile primaryOf(byte[] repomd) throws XMLStreamException {
        XMLStreamReader r = reader(repomd);
        try {
            boolean inPrimary = false;
            String href = null, type = "", sum = "";
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String n = r.getLocalName();
                    if (n.equals("data")) inPrimary = "primary".equals(r.getAttributeValue(null, "type"));
                    else if (inPrimary && n.equals("location")) href = r.getAttributeValue(null, "href");
                    else if (inPrimary && n.equals("checksum")) {
                        type = nz(r.getAttributeValue(null, "type"));
                        sum = r.getElementText().trim().toLowerCase(java.util.Locale.ROOT);
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("data") && inPrimary) {
                    if (href != null) return new DataFile(href, type, sum);
                    inPrimary = false;
                }
            }
            return null;
        } finally {
            r.close();
        }
    }

    /**
     * Parses primary.xml (uncompressed). Arches map x86_64 to amd64 and aarch64 to arm64, noarch to
     * {@link #ANY_ARCH}; source packages are left out. A checksum that is not sha256 is kept as
     * "type:value", which no download matches, so the package is refused naming it.
     */
    static List<Pkg> parseRpm(byte[] primary, URI base) throws XMLStreamException {
        List<Pkg> out = new ArrayList<>();
        XMLStreamReader r = reader(primary);
        try {
            String name = null, arch = "", ver = "", rel = "", sumType = "", sum = "", href = "", xmlBase = "";
            long epoch = 0, size = 0;
            List<String> requires = new ArrayList<>(), provides = new ArrayList<>();
            String section = "";
            boolean inPackage = false;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    String n = r.getLocalName();
                    if (n.equals("package")) {
                        inPackage = "rpm".equals(r.getAttributeValue(null, "type")) || r.getAttributeValue(null, "type") == null;
                        name = null; arch = ""; ver = ""; rel = ""; sumType = ""; sum = ""; href = ""; xmlBase = "";
                        epoch = 0; size = 0; requires = new ArrayList<>(); provides = new ArrayList<>(); section = "";
                    } else if (!inPackage) {
                        continue;
                    } else if (n.equals("name") && section.isEmpty()) {
                        name = r.getElementText().trim();
                    } else if (n.equals("arch") && section.isEmpty()) {
                        arch = r.getElementText().trim();
                    } else if (n.equals("version") && section.isEmpty()) {
                        try { epoch = Long.parseLong(nz(r.getAttributeValue(null, "epoch")).isEmpty() ? "0" : r.getAttributeValue(null, "epoch")); }
                        catch (NumberFormatException e) { epoch = 0; }
                        ver = nz(r.getAttributeValue(null, "ver"));
                        rel = nz(r.getAttributeValue(null, "rel"));
                    } else if (n.equals("checksum") && section.isEmpty()) {
                        sumType = nz(r.getAttributeValue(null, "type"));
                        sum = r.getElementText().trim().toLowerCase(java.util.Locale.ROOT);
                    } else if (n.equals("size") && section.isEmpty()) {
                        try { size = Long.parseLong(nz(r.getAttributeValue(null, "package"))); } catch (NumberFormatException e) { size = 0; }
                    } else if (n.equals("location") && section.isEmpty()) {
                        href = nz(r.getAttributeValue(null, "href"));
                        xmlBase = nz(r.getAttributeValue("http://www.w3.org/XML/1998/namespace", "base"));
                    } else if (n.equals("requires") || n.equals("provides")) {
                        section = n;
                    } else if (n.equals("entry") && !section.isEmpty()) {
                        String e = nz(r.getAttributeValue(null, "name"));
                        if (section.equals("provides")) provides.add(e);
                        else if (!e.isEmpty() && !e.startsWith("/") && !e.startsWith("rpmlib(") && !e.startsWith("(")) requires.add(e);
                    } else if (n.equals("format")) {
                        section = "";
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT) {
                    String n = r.getLocalName();
                    if (n.equals("requires") || n.equals("provides")) section = "";
                    else if (n.equals("package") && inPackage) {
                        inPackage = false;
                        if (name == null || href.isEmpty() || arch.equals("src") || arch.equals("nosrc")) continue;
                        URI from = xmlBase.isEmpty() ? base : URI.create(xmlBase.endsWith("/") ? xmlBase : xmlBase + "/");
                        String version = (epoch != 0 ? epoch + ":" : "") + ver + "-" + rel;
                        out.add(new Pkg(RPM, name, version, epoch, ver, rel, rpmArch(arch), List.copyOf(requires),
                                List.copyOf(provides), from.resolve(href), sumType.equalsIgnoreCase("sha256") ? sum : sumType + ":" + sum, size));
                    }
                }
            }
            return out;
        } finally {
            r.close();
        }
    }

    /** An rpm arch as the bundle names it. */
    static String rpmArch(String arch) {
        return switch (arch) {
            case "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            case "noarch" -> ANY_ARCH;
            default -> arch;
        };
    }

    /** The basearch yum fills in for an OCI arch. */
    static String basearch(String arch) {
        return switch (arch) {
            case "amd64" -> "x86_64";
            case "arm64" -> "aarch64";
            default -> arch;
        };
    }

    private static String nz(String s) { return s == null ? "" : s; }

    /** A StAX reader with DTDs and external entities off: an index is data, not a document to expand. */
    private static XMLStreamReader reader(byte[] xml) throws XMLStreamException {
        XMLInputFactory f = XMLInputFactory.newFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f.createXMLStreamReader(new ByteArrayInputStream(xml));
    }

    /** Gunzips when the bytes are gzip (magic 1f 8b), else returns them as they are. */
    static byte[] gunzip(byte[] data) throws IOException {
        if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) return data;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        }
    }

    static String text(byte[] data) { return new String(data, StandardCharsets.UTF_8); }

    // ---- choosing ----------------------------------------------------------------------------

    /** Orders two versions of one family as its package manager does (newest last). */
    static final Comparator<Pkg> BY_VERSION = (a, b) -> {
        int c = Long.compare(a.epoch(), b.epoch());
        if (c != 0) return c;
        boolean deb = a.family().equals(DEB);
        c = deb ? debCompare(a.upstream(), b.upstream()) : rpmCompare(a.upstream(), b.upstream());
        if (c != 0) return c;
        return deb ? debCompare(a.revision(), b.revision()) : rpmCompare(a.revision(), b.revision());
    };

    /**
     * The closure for {@code arch}: each root at its newest version (with {@code upstream} not empty:
     * the newest revision of exactly that upstream version), then every dependency the index has,
     * by package name or (rpm, deb Provides) by what a package provides, at its newest version. A
     * root or version the index lacks is refused naming the index, the package and the version.
     */
    static Closure close(Index index, String arch, List<String> roots, String upstream) throws BundleException {
        Map<String, List<Pkg>> byName = new LinkedHashMap<>();
        Map<String, TreeSet<String>> providers = new LinkedHashMap<>();
        for (Pkg p : index.packages()) {
            if (!p.arch().equals(arch) && !p.arch().equals(ANY_ARCH)) continue;
            byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
            for (String prov : p.provides()) providers.computeIfAbsent(prov, k -> new TreeSet<>()).add(p.name());
        }
        Map<String, Pkg> chosen = new LinkedHashMap<>();
        Deque<Pkg> todo = new ArrayDeque<>();
        for (String root : roots) {
            List<Pkg> offered = byName.getOrDefault(root, List.of()).stream()
                    .filter(p -> upstream.isEmpty() || p.upstream().equals(upstream)).toList();
            if (offered.isEmpty()) {
                throw new BundleException(index.url() + " has no " + root + (upstream.isEmpty() ? "" : " " + upstream)
                        + " for " + arch + (upstream.isEmpty() || !byName.containsKey(root) ? ""
                        : " (it has " + String.join(", ", byName.get(root).stream().sorted(BY_VERSION).map(Pkg::version).toList()) + ")"));
            }
            Pkg p = offered.stream().max(BY_VERSION).orElseThrow();
            chosen.put(p.name(), p);
            todo.add(p);
        }
        Set<String> outside = new TreeSet<>();
        while (!todo.isEmpty()) {
            Pkg p = todo.poll();
            for (String dep : new LinkedHashSet<>(p.depends())) {
                if (chosen.containsKey(dep)) continue;
                String name = byName.containsKey(dep) ? dep : null;
                if (name == null && providers.containsKey(dep)) {
                    TreeSet<String> names = providers.get(dep);
                    name = names.stream().filter(chosen::containsKey).findFirst().orElse(names.first());
                }
                if (name == null) { outside.add(dep); continue; }
                if (chosen.containsKey(name)) continue;
                Pkg d = byName.get(name).stream().max(BY_VERSION).orElseThrow();
                chosen.put(name, d);
                todo.add(d);
            }
        }
        return new Closure(List.copyOf(chosen.values()), outside);
    }

    /** dpkg's comparison of an upstream version or a revision ("~" sorts before everything, even the end). */
    static int debCompare(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ac = i < a.length() ? order(a.charAt(i)) : 0;
                int bc = j < b.length() ? order(b.charAt(j)) : 0;
                if (ac != bc) return Integer.signum(ac - bc);
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') i++;
            while (j < b.length() && b.charAt(j) == '0') j++;
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) return 1;
            if (j < b.length() && Character.isDigit(b.charAt(j))) return -1;
            if (firstDiff != 0) return Integer.signum(firstDiff);
        }
        return 0;
    }

    private static int order(char c) {
        if (Character.isDigit(c)) return 0;
        if (Character.isLetter(c)) return c;
        if (c == '~') return -1;
        return c + 256;
    }

    /** rpm's rpmvercmp: alternating runs of digits and letters, "~" before everything, "^" after the end. */
    static int rpmCompare(String a, String b) {
        if (a.equals(b)) return 0;
        int i = 0, j = 0, la = a.length(), lb = b.length();
        while (i < la || j < lb) {
            while (i < la && !alnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') i++;
            while (j < lb && !alnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') j++;
            boolean ta = i < la && a.charAt(i) == '~', tb = j < lb && b.charAt(j) == '~';
            if (ta || tb) {
                if (!ta) return 1;
                if (!tb) return -1;
                i++;
                j++;
                continue;
            }
            boolean ca = i < la && a.charAt(i) == '^', cb = j < lb && b.charAt(j) == '^';
            if (ca || cb) {
                if (i >= la) return -1;
                if (j >= lb) return 1;
                if (!ca) return 1;
                if (!cb) return -1;
                i++;
                j++;
                continue;
            }
            if (i >= la || j >= lb) break;
            int si = i, sj = j;
            boolean num = Character.isDigit(a.charAt(i));
            if (num) {
                while (i < la && Character.isDigit(a.charAt(i))) i++;
                while (j < lb && Character.isDigit(b.charAt(j))) j++;
            } else {
                while (i < la && isAsciiLetter(a.charAt(i))) i++;
                while (j < lb && isAsciiLetter(b.charAt(j))) j++;
            }
            String sa = a.substring(si, i), sb = b.substring(sj, j);
            if (sb.isEmpty()) return num ? 1 : -1;
            int c;
            if (num) {
                sa = sa.replaceFirst("^0+", "");
                sb = sb.replaceFirst("^0+", "");
                c = sa.length() != sb.length() ? Integer.compare(sa.length(), sb.length()) : sa.compareTo(sb);
            } else {
                c = sa.compareTo(sb);
            }
            if (c != 0) return Integer.signum(c);
        }
        if (i >= la && j >= lb) return 0;
        return i >= la ? -1 : 1;
    }

    private static boolean alnum(char c) { return Character.isDigit(c) || isAsciiLetter(c); }

    private static boolean isAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
}
