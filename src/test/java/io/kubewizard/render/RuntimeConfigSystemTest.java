package io.kubewizard.render;

import io.kubewizard.answers.Spec.CgroupDriver;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.testsupport.SystemDeps;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The rendered runtime files, read by the programs that will read them (or by real parsers where the
 * program cannot run here): containerd loads config.toml and dumps the merged result; Python's json
 * and tomllib parse daemon.json and the CRI-O drop-in; systemd-analyze loads the cri-dockerd units.
 */
@Tag("system")
class RuntimeConfigSystemTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String CRI = "io.containerd.grpc.v1.cri";
    /** Parses TOML with Python's tomllib and prints it as JSON, which SnakeYAML reads back as maps. */
    private static final String TOML_TO_JSON =
            "import json, sys, tomllib; json.dump(tomllib.load(open(sys.argv[1], 'rb')), sys.stdout)";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(CgroupDriver.class)
    void containerdLoadsOurConfigWithTheCgroupDriverSandboxAndRegistryWeWrote(CgroupDriver driver) throws Exception {
        Path containerd = SystemDeps.require("containerd", "containerd");
        ClusterSpec spec = NodeSpecs.externalEtcd("containerd", driver.yaml());
        Path config = write(spec, "/etc/containerd/config.toml");

        Map<String, Object> dump = containerdDump(containerd, config);

        assertEquals(2, dump.get("version"));
        assertEquals(List.of(), dump.get("disabled_plugins"));
        Map<String, Object> cri = at(dump, "plugins", CRI);
        assertEquals("registry.k8s.io/pause:3.10.1", cri.get("sandbox_image"));
        assertEquals(RuntimeConfig.sandboxImage(spec), cri.get("sandbox_image"));
        assertEquals("runc", at(cri, "containerd").get("default_runtime_name"));
        Map<String, Object> runc = at(cri, "containerd", "runtimes", "runc");
        assertEquals("io.containerd.runc.v2", runc.get("runtime_type"));
        assertEquals(driver == CgroupDriver.SYSTEMD, at(runc, "options").get("SystemdCgroup"));
        assertEquals("/etc/containerd/certs.d", at(cri, "registry").get("config_path"));
    }

    @Test
    void containerdTakesAnExplicitSandboxImage() throws Exception {
        Path containerd = SystemDeps.require("containerd", "containerd");
        ClusterSpec spec = NodeSpecs.externalEtcd("containerd", "systemd",
                "sandboxImage: ''", "sandboxImage: 'mirror.example:5000/k8s/pause:3.10.1'");
        Map<String, Object> dump = containerdDump(containerd, write(spec, "/etc/containerd/config.toml"));
        assertEquals("mirror.example:5000/k8s/pause:3.10.1", at(dump, "plugins", CRI).get("sandbox_image"));
    }

    @ParameterizedTest
    @EnumSource(CgroupDriver.class)
    void dockerDaemonJsonIsJsonWithTheCgroupDriver(CgroupDriver driver) throws Exception {
        Path python = SystemDeps.require("python3", "python3");
        Path json = write(NodeSpecs.externalEtcd("docker", driver.yaml()), "/etc/docker/daemon.json");
        SystemDeps.Result r = SystemDeps.run(TIMEOUT, python.toString(), "-m", "json.tool", "--sort-keys", json.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertEquals("""
                {
                    "exec-opts": [
                        "native.cgroupdriver=%s"
                    ],
                    "log-driver": "json-file",
                    "log-opts": {
                        "max-size": "100m"
                    },
                    "storage-driver": "overlay2"
                }
                """.formatted(driver.yaml()), r.output());
    }

    @ParameterizedTest
    @EnumSource(CgroupDriver.class)
    void crioDropInIsTomlWithTheCgroupManagerAndPauseImage(CgroupDriver driver) throws Exception {
        Path python = SystemDeps.require("python3", "python3");
        Path dropIn = write(NodeSpecs.externalEtcd("cri-o", driver.yaml()), "/etc/crio/crio.conf.d/10-kubewizard.conf");
        SystemDeps.Result r = SystemDeps.run(TIMEOUT, python.toString(), "-c", TOML_TO_JSON, dropIn.toString());
        assertEquals(0, r.exitCode(), r.output());
        Map<String, Object> runtime = new java.util.LinkedHashMap<>(Map.of("cgroup_manager", driver.yaml()));
        if (driver == CgroupDriver.CGROUPFS) runtime.put("conmon_cgroup", "pod");
        assertEquals(Map.of("crio", Map.of("runtime", runtime, "image", Map.of("pause_image", "registry.k8s.io/pause:3.10.1"))),
                new org.yaml.snakeyaml.Yaml().load(r.output()));
    }

    /**
     * systemd-analyze verify works here without systemd as PID 1. With --root it looks up units and
     * checks Exec*= binaries inside that root, so the root holds: the targets every service and
     * socket depends on by default (copied from this machine's systemd), the rendered
     * cri-docker.service and cri-docker.socket where the plan uploads them, and a stand-in
     * cri-dockerd where the plan installs it (verify only checks that it is executable).
     */
    @Test
    void systemdAcceptsTheCriDockerdUnits() throws Exception {
        Path analyze = SystemDeps.require("systemd-analyze", "systemd");
        Path root = dir.resolve("root");
        Path units = Files.createDirectories(root.resolve("usr/lib/systemd/system"));
        for (String target : List.of("sysinit.target", "basic.target", "shutdown.target", "sockets.target")) {
            Files.copy(Path.of("/usr/lib/systemd/system", target), units.resolve(target));
        }
        List<RenderedFile> rendered = Render.forHost(RuntimeConfig.files(NodeSpecs.externalEtcd("docker", "systemd")), "cp1")
                .stream().filter(f -> f.path().startsWith("/etc/systemd/")).toList();
        assertEquals(List.of("/etc/systemd/system/cri-docker.service", "/etc/systemd/system/cri-docker.socket"),
                rendered.stream().map(RenderedFile::path).toList());
        for (RenderedFile f : rendered) {
            Path file = root.resolve(f.path().substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.content());
        }
        Path binary = Files.createDirectories(root.resolve("usr/local/bin")).resolve("cri-dockerd");
        assertEquals(RuntimeConfig.CRI_DOCKERD, "/" + root.relativize(binary));
        Files.writeString(binary, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(new SystemDeps.Result(0, ""), verify(analyze, root),
                "systemd-analyze verify must pass without a single warning");

        // Controls, so the pass above cannot come from systemd not reading what we rendered.
        Path socket = root.resolve("etc/systemd/system/cri-docker.socket");
        String socketUnit = Files.readString(socket);
        Files.writeString(socket, socketUnit.replace("SocketMode=0660", "SocketMode=rw-rw----"));
        assertEquals(new SystemDeps.Result(0, socket + ":9: Failed to parse mode value, ignoring: rw-rw----\n"),
                verify(analyze, root));
        Files.delete(socket);
        SystemDeps.Result noSocket = verify(analyze, root, "cri-docker.service");
        assertEquals(1, noSocket.exitCode(), noSocket.output());
        assertTrue(noSocket.output().contains("cri-docker.service: Failed to create cri-docker.service/start: "
                + "Unit cri-docker.socket not found."), noSocket.output());
        Files.writeString(socket, socketUnit);

        Files.delete(binary);
        SystemDeps.Result noBinary = verify(analyze, root);
        assertEquals(1, noBinary.exitCode(), noBinary.output());
        assertTrue(noBinary.output().contains("cri-docker.service: Command /usr/local/bin/cri-dockerd is not executable: "
                + "No such file or directory"), noBinary.output());
    }

    private static SystemDeps.Result verify(Path analyze, Path root) {
        return verify(analyze, root, "cri-docker.service", "cri-docker.socket");
    }

    private static SystemDeps.Result verify(Path analyze, Path root, String... units) {
        List<String> command = new ArrayList<>(List.of(analyze.toString(), "verify", "--root=" + root));
        command.addAll(List.of(units));
        return SystemDeps.run(TIMEOUT, command.toArray(String[]::new));
    }

    /** The single-node preset with every mirror of testsupport.MirrorAnswers, on {@code runtime}. */
    private ClusterSpec mirrored(String runtime) {
        var r = io.kubewizard.answers.AnswersLoader.parse("single-node.yaml",
                io.kubewizard.testsupport.MirrorAnswers.preset("single-node", runtime, "calico", dir.resolve("jump")));
        assertTrue(!r.hasErrors(), () -> r.errors().toString());
        return r.spec();
    }

    private Map<String, Object> toml(Path file) throws Exception {
        Path python = SystemDeps.require("python3", "python3");
        SystemDeps.Result r = SystemDeps.run(TIMEOUT, python.toString(), "-c", TOML_TO_JSON, file.toString());
        assertEquals(0, r.exitCode(), r.output());
        return new org.yaml.snakeyaml.Yaml().load(r.output());
    }

    /**
     * With mirrors the hosts.toml files go where config_path points: containerd loads the config with
     * config_path at the rendered certs.d, and each hosts.toml is TOML with the mirror as the server
     * (never the public registry), override_path for a mirror under a path, and the CA it names.
     */
    @Test
    void containerdReadsTheMirrorsFromTheCertsDirectoryOfItsConfig() throws Exception {
        Path containerd = SystemDeps.require("containerd", "containerd");
        ClusterSpec spec = mirrored("containerd");
        Path root = dir.resolve("node");
        for (RenderedFile f : Render.forHost(Render.render(spec, Secrets.MASKED), "node1")) {
            if (!f.path().startsWith("/etc/containerd/")) continue;
            Path p = root.resolve(f.path().substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.localPath() != null ? "CA\n" : f.content());
        }
        Path config = root.resolve("etc/containerd/config.toml");
        String certsD = root.resolve("etc/containerd/certs.d").toString();
        Files.writeString(config, Files.readString(config).replace("\"/etc/containerd/certs.d\"", "\"" + certsD + "\""));
        Map<String, Object> dump = containerdDump(containerd, config);
        assertEquals(certsD, at(dump, "plugins", CRI, "registry").get("config_path"));
        try (var dirs = Files.list(Path.of(certsD))) {
            assertEquals(List.of("docker.io", "ghcr.io", "quay.io", "registry.k8s.io"),
                    dirs.map(d -> d.getFileName().toString()).sorted().toList());
        }
        Map<String, Object> k8s = toml(Path.of(certsD, "registry.k8s.io", "hosts.toml"));
        assertEquals(Map.of("server", "https://harbor.corp.example/v2/k8s", "override_path", true,
                "ca", "/etc/containerd/certs.d/registry.k8s.io/ca.crt"), k8s);
        Map<String, Object> hub = toml(Path.of(certsD, "docker.io", "hosts.toml"));
        assertEquals("https://harbor.corp.example:8443", hub.get("server"));
        assertEquals(Map.of("https://hub-mirror.corp.example", Map.of("capabilities", List.of("pull", "resolve"),
                "ca", "/etc/containerd/certs.d/docker.io/ca.crt")), hub.get("host"));
        assertEquals(Map.of("server", "http://registry.lab.example:5000/v2/ghcr", "override_path", true),
                toml(Path.of(certsD, "ghcr.io", "hosts.toml")));
    }

    /** CRI-O's registries.conf.d file, parsed as TOML: every registry redirected, the last endpoint its location. */
    @Test
    void crioRegistriesFileIsTomlWithEveryRegistryRedirected() throws Exception {
        ClusterSpec spec = mirrored("cri-o");
        RenderedFile f = Render.forHost(Render.render(spec, Secrets.MASKED), "node1").stream()
                .filter(x -> x.path().equals(MirrorConfig.CRIO_REGISTRIES)).findFirst().orElseThrow();
        Path file = dir.resolve("mirrors.conf");
        Files.writeString(file, f.content());
        assertEquals(Map.of("registry", List.of(
                Map.of("prefix", "registry.k8s.io", "location", "harbor.corp.example/k8s"),
                Map.of("prefix", "docker.io", "location", "harbor.corp.example:8443",
                        "mirror", List.of(Map.of("location", "hub-mirror.corp.example"))),
                Map.of("prefix", "quay.io", "location", "harbor.corp.example/quay"),
                Map.of("prefix", "ghcr.io", "location", "registry.lab.example:5000/ghcr", "insecure", true))),
                toml(file));
    }

    /** Runs {@code containerd --config FILE config dump} and parses what it printed as TOML. */
    private Map<String, Object> containerdDump(Path containerd, Path config) throws Exception {
        Path out = dir.resolve("dump.toml");
        Path err = dir.resolve("dump.err");
        Process p = new ProcessBuilder(containerd.toString(), "--config", config.toString(), "config", "dump")
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail("containerd config dump timed out");
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        assertEquals("", Files.readString(err));
        Path python = SystemDeps.require("python3", "python3");
        SystemDeps.Result r = SystemDeps.run(TIMEOUT, python.toString(), "-c", TOML_TO_JSON, out.toString());
        assertEquals(0, r.exitCode(), r.output());
        return new org.yaml.snakeyaml.Yaml().load(r.output());
    }

    private Path write(ClusterSpec spec, String path) throws IOException {
        RenderedFile f = Render.forHost(RuntimeConfig.files(spec), "cp1").stream()
                .filter(x -> x.path().equals(path)).findFirst().orElseThrow();
        Path file = dir.resolve(Path.of(path).getFileName().toString());
        Files.writeString(file, f.content());
        return file;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... keys) {
        Map<String, Object> m = map;
        List<String> walked = new ArrayList<>();
        for (String k : keys) {
            walked.add(k);
            Object next = m.get(k);
            if (!(next instanceof Map)) fail("no table " + String.join(".", walked) + " in " + m.keySet());
            m = (Map<String, Object>) next;
        }
        return m;
    }
}
