package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The runtime steps' deb commands, run for real by /bin/sh as the executor runs them (each one
 * {@code sh -c}, stopping at the first failure), with the step's check before and after. Each run
 * is inside a mount namespace of its own, with tmpfs over /etc/apt and /usr/local/bin and a fake
 * /etc/os-release bound over the real one, so the absolute paths the commands write are real and
 * nothing reaches this machine. Only what would reach the network or a package manager is a
 * recording stand-in on PATH: apt-get, curl, gpg, dpkg, and dockerd and uname for the install.
 */
@Tag("system")
class InstallRuntimeSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ARMORED_KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nfake key\n-----END PGP PUBLIC KEY BLOCK-----\n";
    private static final String DOCKER_LIST_HEADER = """
            # Written by kubewizard: containerd.io (and docker-ce) come from the Docker repository, because
            # distributions ship containerd 1.x, which Kubernetes after 1.35 no longer supports.
            """;

    @TempDir
    Path dir;
    private Path bin;
    private Path log;
    private Path out;

    @BeforeEach
    void standIns() throws IOException {
        SystemDeps.requireRoot();
        SystemDeps.require("unshare", "util-linux");
        SystemDeps.require("tar", "tar");
        bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("calls.log");
        out = Files.createDirectories(dir.resolve("out"));
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(log, "");
        standIn("apt-get", "echo \"DEBIAN_FRONTEND=$DEBIAN_FRONTEND apt-get $*\" >>" + log + "\n");
        standIn("curl", """
                echo "curl $*" >>%s
                out=
                while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift ;; esac; shift; done
                if [ -n "$out" ]; then cp %s "$out"; else printf '%%s' '%s'; fi
                """.formatted(log, dir.resolve("cri-dockerd.tgz"), ARMORED_KEY));
        // curl and gpg run side by side in a pipe: gpg records its call once curl has finished, so
        // the log's order is the pipe's.
        standIn("gpg", """
                args="$*"
                out=
                while [ $# -gt 0 ]; do case "$1" in -o) out="$2"; shift ;; esac; shift; done
                { printf 'dearmored:'; cat; } >"$out"
                echo "gpg $args" >>%s
                """.formatted(log));
        standIn("dpkg", "echo \"dpkg $*\" >>" + log + "\n");
        standIn("dockerd", "exit 0\n");
    }

    // --- Docker's apt source, written on the host from /etc/os-release -------------------------------

    @Test
    void debianGetsDockersSourceForItsCodenameAndTheDearmoredKey() throws Exception {
        Step repository = containerdRepositoryStep();
        Run run = run(repository, osRelease("ID=debian\nVERSION_CODENAME=bookworm\n"), "x86_64");

        assertEquals(new Run(0, "", 1, 0), run);
        assertEquals(List.of("curl -fsSL https://download.docker.com/linux/debian/gpg",
                "gpg --batch --yes --dearmor -o /etc/apt/keyrings/docker-apt-keyring.gpg"), calls());
        assertEquals(DOCKER_LIST_HEADER + "deb [signed-by=/etc/apt/keyrings/docker-apt-keyring.gpg] "
                + "https://download.docker.com/linux/debian bookworm stable\n", written("apt/sources.list.d/docker.list"));
        assertEquals("dearmored:" + ARMORED_KEY, written("apt/keyrings/docker-apt-keyring.gpg"));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("apt/keyrings"))));
    }

    @Test
    void ubuntuGetsItsOwnTreeAndOsReleaseQuotingIsRead() throws Exception {
        Run run = run(containerdRepositoryStep(), osRelease("NAME=\"Ubuntu\"\nID=\"ubuntu\"\nVERSION_CODENAME=\"noble\"\n"), "x86_64");
        assertEquals(new Run(0, "", 1, 0), run);
        assertEquals("curl -fsSL https://download.docker.com/linux/ubuntu/gpg", calls().get(0));
        assertEquals(DOCKER_LIST_HEADER + "deb [signed-by=/etc/apt/keyrings/docker-apt-keyring.gpg] "
                + "https://download.docker.com/linux/ubuntu noble stable\n", written("apt/sources.list.d/docker.list"));
    }

    @Test
    void aDistributionDockerHasNoAptRepositoryForStopsTheStepWithAMessage() throws Exception {
        Run run = run(containerdRepositoryStep(), osRelease("ID=fedora\nVERSION_CODENAME=\"\"\n"), "x86_64");
        assertEquals(new Run(1, "Docker publishes apt repositories for debian and ubuntu, not 'fedora' (ID in /etc/os-release)\n",
                1, 1), run);
        assertEquals(List.of(), calls(), "nothing fetched for a distribution without a Docker repository");
        assertFalse(Files.exists(out.resolve("apt/sources.list.d/docker.list")));
        assertFalse(Files.exists(out.resolve("apt/keyrings/docker-apt-keyring.gpg")));
    }

    @Test
    void aCodenameThatIsNotOneWordCannotReachTheSourceLine() throws Exception {
        Run run = run(containerdRepositoryStep(), osRelease("ID=debian\nVERSION_CODENAME=\"bookworm main\"\n"), "x86_64");
        assertEquals(new Run(1, "'bookworm main' is not a distribution codename such as bookworm or noble "
                + "(VERSION_CODENAME in /etc/os-release)\n", 1, 1), run);
        assertFalse(Files.exists(out.resolve("apt/sources.list.d/docker.list")));
    }

    // --- Docker Engine and cri-dockerd from its release tarball -------------------------------------

    @Test
    void dockerInstallTakesDockersPackagesAndCriDockerdFromTheTarballForTheMachine() throws Exception {
        tarball("cri-dockerd 0.4.10 (6f2a9a1)");
        Run run = run(dockerInstallStep(), osRelease("ID=debian\nVERSION_CODENAME=bookworm\n"), "x86_64");

        // Before: command -v finds no cri-dockerd, which dash reports as 127.
        assertEquals(new Run(0, "", 127, 0), run);
        List<String> calls = calls();
        assertEquals(4, calls.size(), calls::toString);
        assertEquals(List.of("DEBIAN_FRONTEND= apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y docker-ce docker-ce-cli containerd.io"), calls.subList(0, 2));
        // mktemp names the download's directory (tmp.XXXXXXXXXX under TMPDIR).
        String download = "curl -fsSL -o " + java.util.regex.Pattern.quote(dir.resolve("tmp").toString()) + "/tmp\\.[A-Za-z0-9]{10}/cri-dockerd\\.tgz "
                + "https://github\\.com/Mirantis/cri-dockerd/releases/download/v0\\.4\\.10/cri-dockerd-0\\.4\\.10\\.amd64\\.tgz";
        assertTrue(calls.get(2).matches(download), calls.get(2));
        // The check after the install asks the package database, then cri-dockerd's version.
        assertEquals("dpkg -s docker-ce docker-ce-cli containerd.io", calls.get(3));
        Path installed = out.resolve("bin/cri-dockerd");
        assertEquals(Files.readString(dir.resolve("payload/cri-dockerd/cri-dockerd")), Files.readString(installed));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)));
        assertEquals(List.of("cri-dockerd"), list(out.resolve("bin")), "only the binary, not the tarball's other files");
        assertEquals(List.of(), list(dir.resolve("tmp")), "the download is removed");
    }

    @Test
    void armMachinesGetTheArm64Build() throws Exception {
        tarball("cri-dockerd 0.4.10 (6f2a9a1)");
        assertEquals(new Run(0, "", 127, 0), run(dockerInstallStep(), osRelease("ID=debian\nVERSION_CODENAME=bookworm\n"), "aarch64"));
        assertEquals("https://github.com/Mirantis/cri-dockerd/releases/download/v0.4.10/cri-dockerd-0.4.10.arm64.tgz",
                calls().get(2).substring(calls().get(2).lastIndexOf(' ') + 1));
    }

    @Test
    void aMachineWithoutABuildStopsTheStepBeforeAnyDownload() throws Exception {
        tarball("cri-dockerd 0.4.10 (6f2a9a1)");
        Run run = run(dockerInstallStep(), osRelease("ID=debian\nVERSION_CODENAME=bookworm\n"), "riscv64");
        assertEquals(new Run(1, "cri-dockerd 0.4.10 has no build for riscv64, only for x86_64, aarch64\n", 127, 127), run);
        assertEquals(List.of("DEBIAN_FRONTEND= apt-get update",
                "DEBIAN_FRONTEND=noninteractive apt-get install -y docker-ce docker-ce-cli containerd.io"), calls());
        assertEquals(List.of(), list(out.resolve("bin")));
    }

    @Test
    void anotherCriDockerdVersionDoesNotPassTheCheck() throws Exception {
        tarball("cri-dockerd 0.4.9 (1a2b3c4)");
        Run run = run(dockerInstallStep(), osRelease("ID=debian\nVERSION_CODENAME=bookworm\n"), "x86_64");
        assertEquals(new Run(0, "", 127, 1), run);
        assertEquals("dpkg -s docker-ce docker-ce-cli containerd.io", calls().get(3));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Step containerdRepositoryStep() {
        ClusterSpec spec = Fixtures.preset("single-node");
        return step(Plan.build(spec, Render.render(spec, Fixtures.SECRETS)), "runtime/repository@node1");
    }

    private static Step dockerInstallStep() {
        ClusterSpec spec = Fixtures.presetWith("single-node", "type: containerd", "type: docker");
        return step(Plan.build(spec, Render.render(spec, Fixtures.SECRETS)), "runtime/install@node1");
    }

    private static Step step(Plan plan, String key) {
        return plan.steps().stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow();
    }

    /** Exit code and output of the commands; exit codes of the step's check before and after them. */
    record Run(int exitCode, String output, int checkBefore, int checkAfter) {}

    private Run run(Step step, Path osRelease, String machine) throws IOException {
        standIn("uname", "echo " + machine + "\n");
        String commands = String.join(" && ", step.run(OsFamily.DEB).stream().map(c -> "sh -c " + Shell.quote(c)).toList());
        Path script = dir.resolve("runner.sh");
        Files.writeString(script, """
                set -u
                unset DEBIAN_FRONTEND
                mount -t tmpfs -o mode=0755 tmpfs /etc/apt || exit 100
                mkdir /etc/apt/sources.list.d
                mount -t tmpfs -o mode=0755 tmpfs /usr/local/bin || exit 100
                mount --bind %1$s /etc/os-release || exit 100
                export PATH=%2$s:$PATH TMPDIR=%3$s
                sh -c %4$s >/dev/null 2>&1; echo $? >%5$s/check-before
                ( %6$s ); rc=$?
                sh -c %4$s >/dev/null 2>&1; echo $? >%5$s/check-after
                mkdir %5$s/apt %5$s/bin && cp -a /etc/apt/. %5$s/apt/ && cp -a /usr/local/bin/. %5$s/bin/ || exit 100
                exit $rc
                """.formatted(osRelease, bin, dir.resolve("tmp"), Shell.quote(step.check()), out, commands));
        SystemDeps.Result r = SystemDeps.run(TIMEOUT, "unshare", "-m", "sh", script.toString());
        assertFalse(r.exitCode() == 100, r.output());
        return new Run(r.exitCode(), r.output(), Integer.parseInt(Files.readString(out.resolve("check-before")).trim()),
                Integer.parseInt(Files.readString(out.resolve("check-after")).trim()));
    }

    /** A release tarball laid out like Mirantis' (cri-dockerd/cri-dockerd), with a file beside the binary. */
    private void tarball(String version) throws IOException {
        Path payload = Files.createDirectories(dir.resolve("payload/cri-dockerd"));
        Path binary = payload.resolve("cri-dockerd");
        Files.writeString(binary, "#!/bin/sh\n[ \"$1\" = --version ] && echo '" + version + "'\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(payload.resolve("LICENSE"), "Apache-2.0\n");
        SystemDeps.Result r = SystemDeps.run(TIMEOUT, "tar", "-C", dir.resolve("payload").toString(), "-czf",
                dir.resolve("cri-dockerd.tgz").toString(), "cri-dockerd");
        assertEquals(0, r.exitCode(), r.output());
    }

    private Path osRelease(String content) throws IOException {
        return Files.writeString(dir.resolve("os-release"), content);
    }

    private void standIn(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> calls() throws IOException {
        return Files.readAllLines(log);
    }

    private String written(String path) throws IOException {
        return Files.readString(out.resolve(path));
    }

    private static List<String> list(Path directory) throws IOException {
        try (var s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
