package io.kubewizard.cli;

import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TreeWriterTest {
    @TempDir Path tmp;

    private static final List<RenderedFile> FILES = List.of(
            RenderedFile.of("cp1", "/etc/modules-load.d/k8s.conf", 0644, "overlay\nbr_netfilter\n"),
            RenderedFile.secret("cp1", "/etc/kubernetes/kubeadm/init.yaml", "token: ******.****************\n"),
            // A secret written with a looser mode is still written 0600.
            new RenderedFile("cp1", "/etc/kubernetes/pki/ca.key", 0644, "KEY\n", true, OsFamily.ANY),
            RenderedFile.of("cp1", "/usr/local/bin/check-apiserver.sh", 0755, "#!/bin/sh\n"),
            RenderedFile.of("cp1", "/etc/apt/sources.list.d/kubernetes.list", 0644, "deb ...\n").onlyFor(OsFamily.DEB),
            RenderedFile.of("cp1", "/etc/yum.repos.d/kubernetes.repo", 0644, "[kubernetes]\n").onlyFor(OsFamily.RPM),
            RenderedFile.of("w1", "/etc/default/kubewizard", 0640, "deb variant\n").onlyFor(OsFamily.DEB),
            RenderedFile.of("w1", "/etc/default/kubewizard", 0640, "rpm variant\n").onlyFor(OsFamily.RPM));

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writesEachFileWithItsModeAndDirectories0755() throws IOException {
        Path out = tmp.resolve("out");
        TreeWriter.write(out, FILES);
        assertEquals("rw-r--r--", mode(out.resolve("cp1/etc/modules-load.d/k8s.conf")));
        assertEquals("rw-------", mode(out.resolve("cp1/etc/kubernetes/kubeadm/init.yaml")));
        assertEquals("rw-------", mode(out.resolve("cp1/etc/kubernetes/pki/ca.key")));
        assertEquals("rwxr-xr-x", mode(out.resolve("cp1/usr/local/bin/check-apiserver.sh")));
        assertEquals("rw-r-----", mode(out.resolve("w1/etc/default/kubewizard.deb")));
        assertEquals("deb variant\n", Files.readString(out.resolve("w1/etc/default/kubewizard.deb")));
        assertEquals("rpm variant\n", Files.readString(out.resolve("w1/etc/default/kubewizard.rpm")));
        assertEquals("[kubernetes]\n", Files.readString(out.resolve("cp1/etc/yum.repos.d/kubernetes.repo")));
        for (String dir : List.of("", "cp1", "cp1/etc", "cp1/etc/kubernetes", "cp1/etc/kubernetes/pki", "cp1/usr/local/bin", "w1")) {
            assertEquals("rwxr-xr-x", mode(out.resolve(dir)), dir);
        }
        try (Stream<Path> all = Files.walk(out)) {
            assertEquals(8, all.filter(Files::isRegularFile).count(), "no temporary file is left behind");
        }
    }

    @Test
    void rewritingReplacesFilesWhole() throws IOException {
        Path out = tmp.resolve("out");
        TreeWriter.write(out, FILES);
        TreeWriter.write(out, List.of(RenderedFile.of("cp1", "/etc/modules-load.d/k8s.conf", 0600, "overlay\n")));
        assertEquals("overlay\n", Files.readString(out.resolve("cp1/etc/modules-load.d/k8s.conf")));
        assertEquals("rw-------", mode(out.resolve("cp1/etc/modules-load.d/k8s.conf")));
    }

    @Test
    void theReportListsEachHostsFilesAndTheCount() throws IOException {
        Path out = tmp.resolve("out");
        StringWriter text = new StringWriter();
        RenderCommand.report(out, TreeWriter.write(out, FILES), new PrintWriter(text, true));
        assertEquals("""
                Secrets are masked (******.****************); apply fills in the real values.
                cp1:
                  0644 /etc/modules-load.d/k8s.conf
                  0600 /etc/kubernetes/kubeadm/init.yaml (secret)
                  0600 /etc/kubernetes/pki/ca.key (secret)
                  0755 /usr/local/bin/check-apiserver.sh
                  0644 /etc/apt/sources.list.d/kubernetes.list (deb hosts only)
                  0644 /etc/yum.repos.d/kubernetes.repo (rpm hosts only)
                w1:
                  0640 /etc/default/kubewizard.deb (deb hosts only)
                  0640 /etc/default/kubewizard.rpm (rpm hosts only)
                Wrote 8 files for 2 hosts to %s
                """.formatted(out), text.toString());
    }

    @Test
    void aPathThatLeavesItsHostsDirectoryIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TreeWriter.write(tmp.resolve("out"),
                List.of(RenderedFile.of("cp1", "/etc/../../w1/etc/motd", 0644, "x\n"))));
        assertEquals("rendered path /etc/../../w1/etc/motd for cp1 leaves " + tmp.resolve("out/cp1"), e.getMessage());
    }

    @Test
    void theSameFileTwiceForEveryFamilyIsABug() {
        RenderedFile f = RenderedFile.of("cp1", "/etc/motd", 0644, "x\n");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TreeWriter.write(tmp.resolve("out"), List.of(f, f)));
        assertEquals("render made /etc/motd for cp1 more than once", e.getMessage());
    }
}
