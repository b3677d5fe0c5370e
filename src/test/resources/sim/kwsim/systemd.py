"""systemctl over simulated units: a unit exists once its package is installed (or its unit file
is written under /etc/systemd/system); enable/start state lives in the node state. Starting
haproxy or keepalived runs the real program's configuration check; starting the kubelet runs the
static pods of /etc/kubernetes/manifests (see kube.sync_static_pods)."""
import glob
import os
import subprocess
import tomllib

from . import common

VERBS_WITH_UNITS = {"start", "stop", "restart", "reload", "try-restart", "reload-or-restart", "enable", "disable",
                    "is-active", "is-enabled", "is-failed", "status"}


def unit_name(name):
    return name[:-len(".service")] if name.endswith(".service") else name


def known_units(st):
    units = set()
    table = common.packages_table()["packages"]
    for package in st.get("packages", {}):
        units.update(table.get(package, {}).get("units", []))
    for path in glob.glob("/etc/systemd/system/*.service"):
        units.add(unit_name(os.path.basename(path)))
    return units


def unit_files_mtime(unit):
    """Newest change to the unit's own files and drop-ins (what daemon-reload must pick up)."""
    paths = glob.glob("/etc/systemd/system/%s.service" % unit) + glob.glob("/etc/systemd/system/%s.service.d/*" % unit)
    return max((os.stat(p).st_mtime_ns for p in paths), default=0)


def kubelet_runnable():
    """Whether a started kubelet stays up: it needs its config, from kubeadm or a drop-in's --config."""
    if os.path.exists("/var/lib/kubelet/config.yaml"):
        return True
    for dropin in glob.glob("/etc/systemd/system/kubelet.service.d/*.conf"):
        for line in common.read_file(dropin).splitlines():
            if line.startswith("ExecStart=") and "--config=" in line:
                path = line.split("--config=", 1)[1].split()[0]
                if os.path.exists(path):
                    return True
    return False


def state_of(unit, units):
    u = units.get(unit, {})
    if u.get("failed"):
        return "failed"
    if not u.get("active"):
        return "inactive"
    if unit == "kubelet" and not kubelet_runnable():
        return "activating"
    return "active"


def check_config(unit):
    """The real program's own configuration check, for the services the harness can judge."""
    checks = {
        "haproxy": ["/usr/sbin/haproxy", "-c", "-q", "-f", "/etc/haproxy/haproxy.cfg"],
        "keepalived": ["/usr/sbin/keepalived", "--config-test", "-f", "/etc/keepalived/keepalived.conf"],
    }
    cmd = checks.get(unit)
    if cmd is None or not os.path.exists(cmd[0]):
        return None
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if r.returncode != 0:
        return (r.stdout + r.stderr).strip() or "exit %d" % r.returncode
    return None


def runtime_settings(unit):
    """What a container runtime reads from its configuration when it starts: (settings, error)."""
    if unit == "containerd":
        path = "/etc/containerd/config.toml"
        if not os.path.exists(path):
            return {"cgroupDriver": "cgroupfs", "criDisabled": False}, None
        try:
            doc = tomllib.loads(common.read_file(path))
        except tomllib.TOMLDecodeError as e:
            return None, "containerd: failed to load TOML from %s: %s" % (path, e)
        disabled = doc.get("disabled_plugins", [])
        plugin = "io.containerd.cri.v1.runtime" if doc.get("version", 1) >= 3 else "io.containerd.grpc.v1.cri"
        options = (doc.get("plugins", {}).get(plugin, {}).get("containerd", {}).get("runtimes", {})
                   .get("runc", {}).get("options", {}))
        return {"cgroupDriver": "systemd" if options.get("SystemdCgroup") else "cgroupfs",
                "criDisabled": "cri" in disabled or "io.containerd.grpc.v1.cri" in disabled}, None
    if unit == "crio":
        driver = "systemd"
        for path in ["/etc/crio/crio.conf"] + sorted(glob.glob("/etc/crio/crio.conf.d/*.conf")):
            if not os.path.exists(path):
                continue
            try:
                doc = tomllib.loads(common.read_file(path))
            except tomllib.TOMLDecodeError as e:
                return None, "crio: failed to load %s: %s" % (path, e)
            driver = doc.get("crio", {}).get("runtime", {}).get("cgroup_manager", driver)
        return {"cgroupDriver": driver, "criDisabled": False}, None
    return {}, None


def start(unit, st):
    """Starts a unit in the state `st`; returns an error message when it fails to start."""
    units = st.setdefault("units", {})
    u = units.setdefault(unit, {})
    settings, problem = runtime_settings(unit)
    problem = problem or check_config(unit)
    if problem:
        u.update(active=False, failed=True, lastError=problem)
        return problem
    u.update(settings)
    u.update(active=True, failed=False)
    u.pop("lastError", None)
    return None


def systemctl(args, ctx):
    flags, words = common.parse_flags(args, {"-p", "--property", "-t", "--type", "-n", "--lines", "-o", "--output"},
                                      {"--quiet": "-q"})
    if not words:
        common.not_simulated("systemctl", args)
    verb, names = words[0], [unit_name(n) for n in words[1:]]
    quiet = "-q" in flags
    if verb == "daemon-reload":
        with common.node_state() as st:
            st["daemonReloadNs"] = max(unit_files_mtime(u) for u in known_units(st) | {"kubelet"})
            st["daemonReloads"] = st.get("daemonReloads", 0) + 1
        return 0
    if verb not in VERBS_WITH_UNITS:
        common.not_simulated("systemctl", args)
    if not names:
        common.fail("Too few arguments.")
    sync_kubelet = False
    with common.node_state() as st:
        units = st.setdefault("units", {})
        known = known_units(st)
        if verb in ("is-active", "is-failed"):
            code = 0
            for n in names:
                state = state_of(n, units) if n in known else "inactive"
                if not quiet:
                    common.out(state)
                if verb == "is-active" and state != "active":
                    code = 3
                elif verb == "is-failed" and state != "failed":
                    code = 1
            return code
        if verb == "is-enabled":
            code = 0
            for n in names:
                if n not in known:
                    common.err("Failed to get unit file state for %s.service: No such file or directory" % n)
                    code = 1
                    continue
                enabled = units.get(n, {}).get("enabled", False)
                if not quiet:
                    common.out("enabled" if enabled else "disabled")
                if not enabled:
                    code = 1
            return code
        if verb == "status":
            code = 0
            for n in names:
                if n not in known:
                    common.err("Unit %s.service could not be found." % n)
                    code = 4
                    continue
                state = state_of(n, units)
                common.out("* %s.service\n     Loaded: loaded (/lib/systemd/system/%s.service; %s)\n     Active: %s"
                           % (n, n, "enabled" if units.get(n, {}).get("enabled") else "disabled", state))
                if state != "active":
                    code = 3
            return code
        for n in names:
            if n not in known:
                if verb in ("enable", "disable"):
                    common.fail("Failed to %s unit: Unit file %s.service does not exist." % (verb, n), 1)
                common.fail("Failed to %s %s.service: Unit %s.service not found." % (verb, n, n), 5)
        ctx.work()
        for n in names:
            u = units.setdefault(n, {})
            if verb == "enable":
                if not u.get("enabled"):
                    common.err("Created symlink /etc/systemd/system/multi-user.target.wants/%s.service"
                               " \u2192 /lib/systemd/system/%s.service." % (n, n))
                u["enabled"] = True
                if "--now" in flags and start(n, st):
                    return job_failed("start", n)
            elif verb == "disable":
                u["enabled"] = False
                if "--now" in flags:
                    u.update(active=False, failed=False)
            elif verb == "stop":
                u.update(active=False, failed=False)
            elif verb in ("start", "restart", "reload", "try-restart", "reload-or-restart"):
                if verb == "try-restart" and not u.get("active"):
                    continue
                if unit_files_mtime(n) > st.get("daemonReloadNs", 0):
                    common.err("Warning: The unit file, source configuration file or drop-ins of %s.service changed"
                               " on disk. Run 'systemctl daemon-reload' to reload units." % n)
                if start(n, st):
                    return job_failed(verb, n)
            if n == "kubelet":
                sync_kubelet = True
    if sync_kubelet:
        from . import pods, workloads
        pods.sync_static_pods()
        # A kubelet that starts reports its version to its Node; one that stops stops reporting.
        workloads.report_kubelet(common.node()["name"], is_active("kubelet"), common.installed_version("kubelet"))
    return 0


def job_failed(verb, unit):
    common.err('Job for %s.service failed because the control process exited with error code.\n'
               'See "systemctl status %s.service" and "journalctl -xeu %s.service" for details.' % (unit, unit, unit))
    # The state must persist the failure, so this returns instead of raising inside the lock.
    return 1


def is_active(unit):
    st = common.read_node_state()
    return unit in known_units(st) and state_of(unit, st.get("units", {})) == "active"


def install_units(st, units):
    """What a package's maintainer scripts do: Debian enables and starts services, RPM does neither."""
    if common.family() != "deb":
        for u in units:
            st.setdefault("units", {}).setdefault(u, {"enabled": False, "active": False})
        return
    for u in units:
        st.setdefault("units", {})[u] = {"enabled": True, "active": False}
        start(u, st)
