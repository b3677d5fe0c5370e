"""What every stand-in shares: where state lives, locked JSON state, exits and small helpers."""
import contextlib
import fcntl
import json
import os
import sys

NODE_DIR = "/var/lib/kw-sim"
CLUSTER_DIR = "/var/lib/kw-sim-cluster"
LIB_DIR = "/usr/lib/kw-sim"
LOG_DIR = "/var/log/kw-sim"
TOOL = LIB_DIR + "/bin/kw-sim-tool"
HOST_ROOT = "/.kw-host"


class Exit(Exception):
    """Ends the stand-in with this exit code (the message, if any, already went to stderr)."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def fail(message, code=1):
    """Prints a message the way the real tool would (no prefix added) and exits."""
    if message:
        sys.stderr.write(message if message.endswith("\n") else message + "\n")
    raise Exit(code)


def not_simulated(tool, args):
    fail("kw-sim: '%s %s' is not simulated on this node (see src/test/resources/sim/README.md)"
         % (tool, " ".join(args)), 64)


def out(text=""):
    sys.stdout.write(text if text.endswith("\n") or text == "" else text + "\n")


def err(text):
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def load_json(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def node():
    """This node as SimCluster described it: name, os, family, address, mac, productUuid."""
    return load_json(NODE_DIR + "/node.json")


def config():
    """The cluster-wide settings: kubernetesVersion, subnet, nodes."""
    return load_json(CLUSTER_DIR + "/config.json")


def no_internet():
    """A test's switch (the file no-internet in the cluster's shared state): the public hosts the
    stand-ins otherwise answer for (package repositories, registries) do not resolve."""
    return os.path.exists(CLUSTER_DIR + "/no-internet")


def family():
    return node()["family"]


_written = 0


def write_file(path, content, mode=0o644):
    """Atomically (temp file and rename), with its mode, creating parent directories."""
    directory = os.path.dirname(path)
    os.makedirs(directory, exist_ok=True)
    data = content.encode() if isinstance(content, str) else content
    # a name of this process's own, as tempfile.mkstemp would make: not importing tempfile (and
    # shutil and random with it) saves every stand-in call about 6 ms of its start
    global _written
    _written += 1
    tmp = os.path.join(directory, ".kw-sim-%d-%d" % (os.getpid(), _written))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, data)
        os.fchmod(fd, mode)
    finally:
        os.close(fd)
    os.rename(tmp, path)


def read_file(path):
    with open(path) as f:
        return f.read()


@contextlib.contextmanager
def locked_json(path, default_factory=dict):
    """Read-modify-write of a JSON file under an exclusive lock; the file is rewritten on success."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        data = load_json(path)
        if data is None:
            data = default_factory()
        yield data
        write_file(path, json.dumps(data, indent=1, sort_keys=True))


def node_state():
    """This node's simulated machine state (packages, units, sysctls, pods)."""
    return locked_json(NODE_DIR + "/machine.json")


def read_node_state():
    return load_json(NODE_DIR + "/machine.json", {})


def api_state():
    """The simulated cluster's API server, shared by every node."""
    return locked_json(CLUSTER_DIR + "/api.json")


def read_api_state():
    return load_json(CLUSTER_DIR + "/api.json", {})


def packages_table():
    return load_json(LIB_DIR + "/packages.json")


def kubernetes_version():
    return config()["kubernetesVersion"]


def installed_version(package):
    """The installed package's upstream version (x.y.z), or None."""
    version = read_node_state().get("packages", {}).get(package)
    if version is None:
        return None
    return upstream(version)


def upstream(version):
    """"1.35.2-1.1" and "1.35.2-150500.1.1" are upstream 1.35.2."""
    return version.split("-", 1)[0]


def minor(version):
    parts = version.lstrip("v").split(".")
    return int(parts[1])


def parse_flags(args, with_value, aliases=None):
    """Splits argv into (flags, positionals). Flags in with_value take a value (--f v or --f=v)."""
    aliases = aliases or {}
    flags = {}
    positional = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            positional.extend(args[i + 1:])
            break
        if a.startswith("-") and a != "-":
            name, eq, value = a.partition("=")
            name = aliases.get(name, name)
            if name in with_value and not eq:
                if i + 1 >= len(args):
                    fail("flag needs an argument: %s" % a)
                value = args[i + 1]
                i += 1
            flags.setdefault(name, []).append(value if (eq or name in with_value) else True)
        else:
            positional.append(a)
        i += 1
    return flags, positional


def last(flags, name, default=None):
    values = flags.get(name)
    return values[-1] if values else default


def pid_alive(pid):
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False
