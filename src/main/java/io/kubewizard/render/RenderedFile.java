package io.kubewizard.render;

/**
 * One file for one host: its absolute path on that host, its mode, and its text.
 * {@code secret} marks files that carry a secret (token, certificate key, private key): they are
 * written 0600 and masked wherever a person sees them. {@code os} limits a file to one package
 * family (repository definitions), since the family is a fact learnt at run time, not an answer.
 */
public record RenderedFile(String host, String path, int mode, String content, boolean secret, OsFamily os) {

    /** Which hosts a file applies to, by package family (from /etc/os-release at run time). */
    public enum OsFamily { ANY, DEB, RPM }

    public RenderedFile {
        if (!path.startsWith("/")) throw new IllegalArgumentException("not an absolute path: " + path);
    }

    public static RenderedFile of(String host, String path, int mode, String content) {
        return new RenderedFile(host, path, mode, content, false, OsFamily.ANY);
    }

    public static RenderedFile secret(String host, String path, String content) {
        return new RenderedFile(host, path, 0600, content, true, OsFamily.ANY);
    }

    public RenderedFile onlyFor(OsFamily family) {
        return new RenderedFile(host, path, mode, content, secret, family);
    }

    /** "0644" */
    public String modeString() { return String.format("%04o", mode); }
}
