"""Entry point of every stand-in: applies the test's rules, runs the tool, records the call."""
import fcntl
import importlib
import json
import os
import select
import signal
import stat
import sys
import time

from . import common
from .common import Exit

# Tools that read their input for real; the others only drain what is already waiting.
READS_STDIN = {"gpg"}


def run(argv):
    start = time.time_ns()
    tool = os.path.basename(argv[0])
    # Line by line, as the real (Go) tools write: a client that went away ends a tool at its next
    # line (EPIPE), not after it has done everything.
    sys.stdout.reconfigure(line_buffering=True)
    stdin = Stdin(blocking=tool in READS_STDIN or (tool == "kubectl" and "-" in argv))
    code = 0
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, _raise_exit)
    try:
        work = Rules(tool, argv).apply()
        code = dispatch(tool, argv[1:], Context(stdin, work))
    except Exit as e:
        code = e.code
    except BrokenPipeError:
        code = 141
    except Exception:  # a stand-in bug must be visible, never a silent success
        import traceback  # only here: it costs every call's start about 3 ms

        traceback.print_exc()
        sys.stderr.write("kw-sim: internal error in the %s stand-in\n" % tool)
        code = 70
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (BrokenPipeError, ValueError):
                pass
        record(argv, start, code or 0, stdin)
    return code or 0


def _raise_exit(signum, _frame):
    raise Exit(128 + signum)


class Stdin:
    """Counts what arrives on stdin. Tools that need their input read it to EOF; the others take
    only what is already there, so a client that never closes the channel cannot hang them."""

    def __init__(self, blocking):
        self.count = 0
        self.eof = False
        self._data = None
        if not blocking:
            self._drain()

    def read(self):
        if self._data is None:
            self._data = self._read_to_eof()
        return self._data

    def _drain(self):
        try:
            mode = os.fstat(0).st_mode
        except OSError:
            self.eof = True
            self._data = b""
            return
        if os.isatty(0):
            self._data = b""
        elif stat.S_ISREG(mode) or stat.S_ISCHR(mode):
            self._data = self._read_to_eof()
        else:
            poller = select.poll()
            poller.register(0, select.POLLIN | select.POLLHUP)
            chunks = []
            while poller.poll(0):
                b = os.read(0, 65536)
                if not b:
                    self.eof = True
                    break
                chunks.append(b)
            self._data = b"".join(chunks)
            self.count = len(self._data)

    def _read_to_eof(self):
        chunks = []
        while True:
            b = os.read(0, 65536)
            if not b:
                self.eof = True
                break
            chunks.append(b)
        data = b"".join(chunks)
        self.count += len(data)
        return data


class Context:
    def __init__(self, stdin, work):
        self.stdin = stdin
        self._work = work
        self._worked = False

    def work(self):
        """Where the invocation's simulated duration passes; tools call it at their slow part."""
        if not self._worked:
            self._worked = True
            if self._work:
                time.sleep(self._work)


HANDLERS = {
    "apt-get": ("packages", "apt_get"), "apt-mark": ("packages", "apt_mark"), "dnf": ("packages", "dnf"),
    "dpkg": ("packages", "dpkg"), "rpm": ("packages", "rpm"),
    "systemctl": ("systemd", "systemctl"), "modprobe": ("kernel", "modprobe"), "sysctl": ("kernel", "sysctl"),
    "swapoff": ("kernel", "swapoff"), "curl": ("fetch", "curl"), "gpg": ("fetch", "gpg"),
    "kubeadm": ("kubeadm", "kubeadm"), "kubelet": ("kubeadm", "kubelet"), "kubectl": ("kubectl", "kubectl"),
    "crictl": ("pods", "crictl"), "ctr": ("containers", "ctr"),
}


def dispatch(tool, args, ctx):
    module, function = HANDLERS.get(tool, ("stubs", None))
    # Only the tool's own module is imported: yaml and ssl cost more than the tools themselves.
    impl = importlib.import_module("kwsim." + module)
    code = getattr(impl, function)(args, ctx) if function else impl.program(tool, args, ctx)
    ctx.work()
    return code


class Rules:
    """The test's delays, failures and holds from control.json, matched on the command's words."""

    def __init__(self, tool, argv):
        self.tool = tool
        self.words = [tool] + argv[1:]

    def matches(self, pattern):
        if not pattern or pattern[0] != self.tool:
            return False
        rest = iter(self.words[1:])
        return all(any(w == p for w in rest) for p in pattern[1:])

    def apply(self):
        control = common.load_json(common.CLUSTER_DIR + "/control.json", {"rules": []})
        me = common.node()["name"]
        delay = 0.0
        for rule in control["rules"]:
            if rule.get("node") not in (None, me) or not self.matches(rule["match"]):
                continue
            if not self._take(rule):
                continue
            action = rule["action"]
            if action == "delay":
                delay += rule["ms"] / 1000.0
            elif action == "hold":
                self._hold(rule["id"], me)
            elif action == "fail":
                common.fail(rule["stderr"], rule["exit"])
        return delay

    @staticmethod
    def _take(rule):
        """Counts a use of a rule limited to some number of times; False once they are used up."""
        if rule.get("times") is None:
            return True
        path = common.CLUSTER_DIR + "/holds/%s.used" % rule["id"]
        with open(common.CLUSTER_DIR + "/holds/rules.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            used = int(common.load_json(path, 0))
            if used >= rule["times"]:
                return False
            common.write_file(path, str(used + 1))
        return True

    @staticmethod
    def _hold(rule_id, me):
        holds = common.CLUSTER_DIR + "/holds/"
        common.write_file(holds + rule_id + ".reached", me + "\n")
        deadline = time.monotonic() + 600
        while not os.path.exists(holds + rule_id + ".released"):
            if time.monotonic() > deadline:
                common.fail("kw-sim: hold %s was never released" % rule_id, 75)
            time.sleep(0.05)


def record(argv, start, code, stdin):
    line = {
        "node": (common.node() or {}).get("name"),
        "argv": list(argv),
        "cwd": _cwd(),
        "uid": os.getuid(),
        "pid": os.getpid(),
        "startNs": start,
        "endNs": time.time_ns(),
        "exit": code,
        "stdinBytes": stdin.count,
        "stdinEof": stdin.eof,
    }
    data = (json.dumps(line, separators=(",", ":")) + "\n").encode()
    os.makedirs(common.LOG_DIR, exist_ok=True)
    fd = os.open(common.LOG_DIR + "/calls.ndjson", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


def _cwd():
    try:
        return os.getcwd()
    except OSError:
        return None
