package io.kubewizard.cli;

import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes rendered files as {@code DIR/<host>/<absolute path>}: each file whole or not at all (a
 * temporary file beside it, renamed over it), with its own mode, directories 0755 and secret
 * files 0600 whatever the umask says.
 */
final class TreeWriter {
    private TreeWriter() {}

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final int SECRET_MODE = 0600;

    /** One file as written: its path under the host's directory (a family suffix when variants share one), its mode. */
    record Written(RenderedFile file, String path, Path target, int mode) {}

    static List<Written> write(Path dir, List<RenderedFile> files) throws IOException {
        Map<String, Integer> variants = new HashMap<>();
        for (RenderedFile f : files) variants.merge(f.host() + f.path(), 1, Integer::sum);
        List<Written> out = new ArrayList<>();
        directories(dir);
        for (RenderedFile f : files) {
            Path hostDir = dir.resolve(f.host()).normalize();
            // Two package families may want the same path: each variant keeps its own copy.
            String path = variants.get(f.host() + f.path()) > 1 ? f.path() + "." + f.os().name().toLowerCase(Locale.ROOT)
                    : f.path();
            if (variants.get(f.host() + f.path()) > 1 && f.os() == OsFamily.ANY) {
                throw new IllegalStateException("render made " + f.path() + " for " + f.host() + " more than once");
            }
            Path target = hostDir.resolve(path.substring(1)).normalize();
            if (!hostDir.startsWith(dir.normalize()) || !target.startsWith(hostDir) || target.equals(hostDir)) {
                throw new IllegalStateException("rendered path " + f.path() + " for " + f.host() + " leaves " + hostDir);
            }
            int mode = f.secret() ? SECRET_MODE : f.mode();
            directories(target.getParent());
            atomically(target, f.content(), mode);
            out.add(new Written(f, path, target, mode));
        }
        return out;
    }

    /** Creates what is missing, each new directory 0755; existing ones are left as they are. */
    private static void directories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) throw new NotDirectoryException(dir.toString());
        Path parent = dir.getParent();
        if (parent != null) directories(parent);
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, DIRECTORY);
    }

    private static void atomically(Path target, String content, int mode) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, permissions(mode));
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        StringBuilder sb = new StringBuilder();
        String letters = "rwxrwxrwx";
        for (int bit = 8; bit >= 0; bit--) sb.append((mode & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
        return PosixFilePermissions.fromString(sb.toString());
    }
}
