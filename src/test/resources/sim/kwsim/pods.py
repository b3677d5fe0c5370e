"""The kubelet's static pods and crictl's view of them.

While the kubelet unit is active, every manifest in /etc/kubernetes/manifests is a pod. An etcd
pod runs the REAL etcd (Debian's etcd-server) with the manifest's flags, detached, logging to
/var/log/kw-sim/etcd.log; when its certificates are missing it is not running, as its container
would crash. Every other pod (API server, kube-vip, haproxy, ...) is simulated: listed and
"running", with no process. Flags that Debian's older etcd does not know are dropped (logged) or
mapped to their experimental- name."""
import glob
import hashlib
import os
import re
import signal
import subprocess
import time

import yaml

from . import common, systemd

MANIFESTS = "/etc/kubernetes/manifests"
ETCD = "/usr/bin/etcd"
ETCDCTL = "/usr/bin/etcdctl"
# The programs of the etcd "image" (the machine's etcd 3.4), by the names `crictl exec` is given.
IMAGE_PROGRAMS = {"etcdctl": ETCDCTL, "/usr/local/bin/etcdctl": ETCDCTL, "etcd": ETCD, "/usr/local/bin/etcd": ETCD}
ETCD_FILE_FLAGS = ("--cert-file", "--key-file", "--trusted-ca-file", "--peer-cert-file", "--peer-key-file",
                   "--peer-trusted-ca-file")
SOCKETS = {"containerd.sock": "containerd", "crio.sock": "crio", "cri-dockerd.sock": "cri-docker"}


def read_manifest(path):
    try:
        doc = yaml.safe_load(common.read_file(path))
    except (OSError, yaml.YAMLError):
        return None
    if not isinstance(doc, dict) or doc.get("kind") != "Pod":
        return None
    return doc


def container_id(pod, started):
    return hashlib.sha256(("%s/%s/%d" % (common.node()["name"], pod, started)).encode()).hexdigest()


def manifest_hash(path):
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None


def sync_static_pods():
    """Makes the running pods match the manifests, as the kubelet would (only while it is active): a
    new manifest starts its pod, a removed one stops it, a changed one restarts it (the kubelet
    recreates a static pod whose spec changed: `kubeadm upgrade` relies on that). What runs is then
    published to the API server's mirror pods (api.json staticPods)."""
    if not systemd.is_active("kubelet"):
        return
    with common.node_state() as st:
        pods = st.setdefault("pods", {})
        present = set()
        for path in sorted(glob.glob(MANIFESTS + "/*.yaml") + glob.glob(MANIFESTS + "/*.yml")):
            doc = read_manifest(path)
            if doc is None:
                continue
            present.add(path)
            pod = pods.get(path)
            digest = manifest_hash(path)
            if pod and pod.get("hash", digest) != digest:
                stop_pod(pod)
                pod = None
            if pod and (pod["simulated"] or common.pid_alive(pod.get("pid"))):
                continue
            pods[path] = start_pod(path, doc)
            pods[path]["hash"] = digest
        for path in [p for p in pods if p not in present]:
            stop_pod(pods.pop(path))
        running = mirrored(pods)
    publish(running)


def mirrored(pods):
    """What the API server shows of this node's static pods: name, labels, image, start, and where
    a real process answers (etcd's client port, probed by whoever reads the mirror pod)."""
    out = {}
    for path, pod in sorted(pods.items()):
        doc = read_manifest(path) or {}
        meta = doc.get("metadata") or {}
        entry = {"name": meta.get("name") or pod["container"], "labels": dict(meta.get("labels") or {}),
                 "image": pod["image"], "startedNs": pod["startedNs"]}
        if not pod["simulated"]:
            container = ((doc.get("spec") or {}).get("containers") or [{}])[0]
            url = flag_value(list(container.get("command") or []) + list(container.get("args") or []),
                             "--advertise-client-urls") or ""
            entry["probe"] = url.split("://", 1)[-1].split(",")[0]
        out[entry["name"]] = entry
    return out


def publish(running):
    """The node's static pods as its kubelet reports them (their mirror pods), keyed by host."""
    me = common.node()["name"]
    if common.read_api_state().get("staticPods", {}).get(me) == running:
        return
    with common.api_state() as api:
        api.setdefault("staticPods", {})[me] = running


def start_pod(path, doc):
    container = doc["spec"]["containers"][0]
    # The kubelet names a static pod after its manifest's name and the node.
    name = "%s-%s" % (doc["metadata"]["name"], common.node()["name"])
    started = time.time_ns()
    pod = {"pod": name, "container": container["name"], "image": container.get("image", ""),
           "startedNs": started, "id": container_id(name, started), "simulated": True, "pid": None}
    command = list(container.get("command") or []) + list(container.get("args") or [])
    if container["name"] == "etcd":
        pod["simulated"] = False
        if command and etcd_files_present(command):
            pod["pid"] = launch_etcd(command)
    return pod


def stop_pod(pod):
    pid = pod.get("pid")
    if not pid or not common.pid_alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while common.pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    if common.pid_alive(pid):
        os.kill(pid, signal.SIGKILL)


def stop_all_pods():
    with common.node_state() as st:
        for pod in st.get("pods", {}).values():
            stop_pod(pod)
        st["pods"] = {}
    publish({})


def flag_value(command, name):
    for arg in command:
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def etcd_files_present(command):
    return all(flag_value(command, f) is None or os.path.exists(flag_value(command, f)) for f in ETCD_FILE_FLAGS) \
        and flag_value(command, "--cert-file") is not None


def supported_etcd_flags():
    """The flags the installed etcd knows, from its own --help (cached per cluster)."""
    cache = common.CLUSTER_DIR + "/etcd-flags.txt"
    if not os.path.exists(cache):
        r = subprocess.run([ETCD, "--help"], capture_output=True, text=True)
        flags = sorted(set(re.findall(r"^\s+(--[a-z0-9-]+)", r.stdout + r.stderr, re.M)))
        common.write_file(cache, "\n".join(flags) + "\n")
    return set(common.read_file(cache).split())


def launch_etcd(command):
    known = supported_etcd_flags()
    args = [ETCD]
    notes = []
    for arg in command[1:]:
        name = arg.split("=", 1)[0]
        if name not in known and "--experimental-" + name[2:] in known:
            notes.append("%s -> --experimental-%s" % (name, name[2:]))
            arg = "--experimental-" + arg[2:]
        elif name not in known:
            notes.append("dropped %s (unknown to %s)" % (arg, ETCD))
            continue
        args.append(arg)
    data_dir = flag_value(args, "--data-dir") or "/var/lib/etcd"
    os.makedirs(data_dir, mode=0o700, exist_ok=True)
    log = open(common.LOG_DIR + "/etcd.log", "ab")
    log.write(("kw-sim: starting %s\n" % " ".join(args)).encode())
    for n in notes:
        log.write(("kw-sim: " + n + "\n").encode())
    log.flush()
    p = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, cwd="/", start_new_session=True,
                         env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
    return p.pid


def pods():
    st = common.read_node_state()
    out = []
    for pod in st.get("pods", {}).values():
        running = pod["simulated"] or common.pid_alive(pod.get("pid"))
        out.append(dict(pod, state="CONTAINER_RUNNING" if running else "CONTAINER_EXITED"))
    return out


# ------------------------------------------------------------------ crictl

def crictl(args, ctx):
    flags, words = common.parse_flags(args, {"-r", "--runtime-endpoint", "-i", "--image-endpoint", "-t", "--timeout",
                                             "-c", "--config", "--name", "-s", "--state", "-o", "--output"},
                                      {"--runtime-endpoint": "-r", "--image-endpoint": "-i", "--timeout": "-t",
                                       "--config": "-c", "--quiet": "-q", "--state": "-s", "--all": "-a"})
    endpoint = common.last(flags, "-r")
    if endpoint is None and os.path.exists("/etc/crictl.yaml"):
        endpoint = (yaml.safe_load(common.read_file("/etc/crictl.yaml")) or {}).get("runtime-endpoint")
    if endpoint is None:
        common.fail('WARN[0000] Config "/etc/crictl.yaml" does not exist, trying next: "/usr/bin/crictl.yaml"\n'
                    "FATA[0000] validate service connection: runtime endpoint is not set", 1)
    socket_path = endpoint.split("://", 1)[-1]
    unit = SOCKETS.get(os.path.basename(socket_path))
    if unit is None or not systemd.is_active(unit):
        common.fail('FATA[0000] validate service connection: validate CRI v1 runtime API for endpoint "%s": '
                    'rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: '
                    'dial unix %s: connect: no such file or directory"' % (endpoint, socket_path), 1)
    if not words:
        common.not_simulated("crictl", args)
    # The kubelet watches its manifests directory; files the installer wrote count by now.
    sync_static_pods()
    verb = words[0]
    if verb == "ps":
        return crictl_ps(flags)
    if verb == "exec":
        return crictl_exec(args, ctx)
    if verb == "pods":
        for p in pods():
            common.out("%s  %s  Ready" % (p["id"][:13], p["pod"]))
        return 0
    common.not_simulated("crictl", args)


def crictl_ps(flags):
    state = common.last(flags, "-s")
    name = common.last(flags, "--name")
    listed = []
    for p in pods():
        if state and p["state"] != "CONTAINER_" + state.upper():
            continue
        if state is None and "-a" not in flags and p["state"] != "CONTAINER_RUNNING":
            continue
        if name and not re.search(name, p["container"]):
            continue
        listed.append(p)
    if "-q" in flags:
        for p in listed:
            common.out(p["id"])
        return 0
    common.out("%-15s %-40s %-10s %-20s %-15s %s" % ("CONTAINER", "IMAGE", "STATE", "NAME", "POD ID", "POD"))
    for p in listed:
        common.out("%-15s %-40s %-10s %-20s %-15s %s" % (p["id"][:13], p["image"], p["state"][10:].title(),
                                                         p["container"], p["id"][13:26], p["pod"]))
    return 0


def crictl_exec(args, ctx):
    rest = args[args.index("exec") + 1:]
    while rest and rest[0].startswith("-"):
        rest = rest[1:]
    if not rest or not rest[0]:
        common.fail("FATA[0000] ID cannot be empty", 1)
    cid, command = rest[0], rest[1:]
    match = [p for p in pods() if p["id"].startswith(cid) and p["state"] == "CONTAINER_RUNNING"]
    if not match:
        common.fail('FATA[0000] execing command in container: rpc error: code = NotFound desc = an error occurred when'
                    ' try to find container "%s": not found' % cid, 1)
    pod = match[0]
    if not command:
        common.fail("FATA[0000] command cannot be empty", 1)
    if pod["simulated"]:
        common.fail("kw-sim: '%s' in %s: the pod is simulated, it has no process to run commands in"
                    % (" ".join(command), pod["pod"]), 64)
    program = IMAGE_PROGRAMS.get(command[0])
    if program is None:
        # What the container has is what the etcd image has: Debian's etcd 3.4 is etcd and etcdctl, no
        # etcdutl (3.5 on) and, distroless as the real image, no shell.
        reason = ("stat %s: no such file or directory" % command[0] if "/" in command[0]
                  else "executable file not found in $PATH")
        common.fail('FATA[0000] execing command in container: rpc error: code = Unknown desc = failed to exec in '
                    'container: failed to start exec "%s": OCI runtime exec failed: exec failed: unable to start '
                    'container process: exec: "%s": %s: unknown' % (pod["id"], command[0], reason), 1)
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "ETCDCTL_API": "3"}
    return subprocess.run([program] + command[1:], stdin=subprocess.DEVNULL, env=env, cwd="/").returncode
