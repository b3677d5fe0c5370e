package io.kubewizard.render;

/**
 * One file for one host: its absolute path on that host, its mode, and its text.
 * {@code secret} marks files that carry a secret (token, certificate key, private key): they are
 * written 0600 and masked wherever a person sees them. {@code os} limits a file to one package
 * family (repository definitions), since the family is a fact learnt at run time, not an answer.
 */
public record RenderedFile(String host, String path, int mode, String content, boolean secret, OsFamily os, String arch) {

    /** Which hosts a file applies to, by package family (from /etc/os-release at run time). */
    public enum OsFamily { ANY, DEB, RPM }

    /** {@code arch}: "" for every host, or the one machine the file is for ({@link #ARCHES}: amd64, arm64). */
    public RenderedFile {
        if (!path.startsWith("/")) throw new IllegalArgumentException("not an absolute path: " + path);
        if (arch == null) arch = "";
        if (!arch.isEmpty() && !ARCHES.containsKey(arch)) throw new IllegalArgumentException("unknown arch " + arch + ": " + path);
    }

    public RenderedFile(String host, String path, int mode, String content, boolean secret, OsFamily os) {
        this(host, path, mode, content, secret, os, "");
    }

    /**
     * The machines a file may be only for, by the names images and packages use (OCI's, Debian's), each
     * with what {@code uname -m} prints there.
     */
    public static final java.util.Map<String, String> ARCHES = java.util.Map.of("amd64", "x86_64", "arm64", "aarch64");

    /** The {@link #ARCHES} name of a {@code uname -m} machine; null for one no file is only for. */
    public static String archOf(String machine) {
        for (var e : ARCHES.entrySet()) if (e.getValue().equals(machine)) return e.getKey();
        return null;
    }

    public static RenderedFile of(String host, String path, int mode, String content) {
        return new RenderedFile(host, path, mode, content, false, OsFamily.ANY);
    }

    public static RenderedFile secret(String host, String path, String content) {
        return new RenderedFile(host, path, 0600, content, true, OsFamily.ANY);
    }

    /** What the content of a file kept on the jump host starts with (see {@link #ofLocal}). */
    public static final String LOCAL = "kubewizard: the jump host's file ";

    /**
     * A file the jump host already has (an etcd snapshot, a backed-up key), to be sent as it is: the
     * plan holds only its path and sha256, marked secret so nothing shows or logs its content; the
     * run reads it when the step uploads it and refuses it when its sha256 differs.
     */
    public static RenderedFile ofLocal(String host, String path, int mode, String localPath, String sha256) {
        return new RenderedFile(host, path, mode, LOCAL + localPath + " sha256:" + sha256 + "\n", true, OsFamily.ANY);
    }

    /** The jump host's path of a file made by {@link #ofLocal}; null for any other. */
    public String localPath() {
        if (!content.startsWith(LOCAL)) return null;
        String rest = content.substring(LOCAL.length()).strip();
        return rest.substring(0, rest.lastIndexOf(" sha256:"));
    }

    /** The sha256 a file made by {@link #ofLocal} must have; null for any other. */
    public String localSha256() {
        if (!content.startsWith(LOCAL)) return null;
        String rest = content.strip();
        return rest.substring(rest.lastIndexOf(" sha256:") + 8);
    }

    public RenderedFile onlyFor(OsFamily family) {
        return new RenderedFile(host, path, mode, content, secret, family, arch);
    }

    /** The same file for hosts of one machine only ({@link #ARCHES}). */
    public RenderedFile onlyForArch(String machine) {
        return new RenderedFile(host, path, mode, content, secret, os, machine);
    }

    /** "0644" */
    public String modeString() { return String.format("%04o", mode); }
}
