"""modprobe, sysctl and swapoff against the node's simulated kernel state.

A node's /sys/module is an empty tmpfs that modprobe fills with directories, so
`test -d /sys/module/overlay` tells what was loaded. sysctl values are kept in the node state and
never written to the machine's /proc/sys; keys not set there are read (only read) from the node's
/proc/sys, except the bridge ones, which exist once br_netfilter is "loaded" and default to 1 as
the kernel's do, and net.ipv4.ip_forward, which starts at 0 as on a fresh host.
"""
import glob
import os
import re

from . import common

# Modules the simulated kernel has; anything else is "not found", as a typo would be.
MODULES = {
    "overlay", "br_netfilter", "bridge", "ip_vs", "ip_vs_rr", "ip_vs_wrr", "ip_vs_sh", "ip_vs_lc",
    "nf_conntrack", "ip_tables", "ip6_tables", "iptable_nat", "iptable_filter", "iptable_mangle",
    "iptable_raw", "nf_tables", "nft_chain_nat", "xt_set", "xt_conntrack", "xt_mark", "ip_set",
    "vxlan", "wireguard", "veth", "dummy", "ipip", "udp_tunnel", "ip6_udp_tunnel", "tun", "rbd",
    "nbd", "iscsi_tcp", "sch_htb", "cls_bpf", "sch_ingress", "llc", "stp",
}
KERNEL_RELEASE = os.uname().release
DEFAULTS = {"net.ipv4.ip_forward": "0"}
BRIDGE_KEYS = {"net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables",
               "net.bridge.bridge-nf-call-arptables", "net.bridge.bridge-nf-filter-vlan-tagged",
               "net.bridge.bridge-nf-pass-vlan-input-dev", "net.bridge.bridge-nf-filter-pppoe-tagged"}
SYSTEM_DIRS = ["/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d"]


def modprobe(args, ctx):
    flags, names = common.parse_flags(args, {"-d", "--dirname", "-S", "--set-version", "-C", "--config"},
                                      {"--remove": "-r", "--all": "-a", "--quiet": "-q", "--verbose": "-v"})
    quiet = "-q" in flags
    if not names:
        common.fail("modprobe: ERROR: missing parameters. See -h.")
    if "-r" not in flags and "-a" not in flags:
        names = names[:1]  # the rest are module parameters
    for raw in names:
        name = raw.replace("-", "_")
        path = "/sys/module/" + name
        if "-r" in flags:
            if os.path.isdir(path):
                os.rmdir(path)
            elif not quiet:
                common.fail("modprobe: FATAL: Module %s is not in kernel." % name)
            continue
        if name not in MODULES:
            common.fail("" if quiet else "modprobe: FATAL: Module %s not found in directory /lib/modules/%s"
                        % (raw, KERNEL_RELEASE))
        os.makedirs(path, exist_ok=True)
        if "-v" in flags:
            common.out("insmod /lib/modules/%s/kernel/%s.ko" % (KERNEL_RELEASE, name))
    return 0


def module_loaded(name):
    return os.path.isdir("/sys/module/" + name)


def proc_path(key):
    return "/proc/sys/" + key.replace(".", "/")


def exists(key, values):
    if key in values or key in DEFAULTS:
        return True
    if key in BRIDGE_KEYS or key.startswith("net.bridge."):
        return module_loaded("br_netfilter")
    return os.path.exists(proc_path(key))


def value(key, values):
    if key in values:
        return values[key]
    if key in DEFAULTS:
        return DEFAULTS[key]
    if key.startswith("net.bridge."):
        return "1" if key.startswith("net.bridge.bridge-nf-call-") else "0"
    with open(proc_path(key)) as f:
        return f.read().strip().replace("\t", " ")


def sysctl_value(key):
    """What `sysctl -n key` prints on this node, or None when the key does not exist."""
    values = common.read_node_state().get("sysctl", {})
    return value(key, values) if exists(key, values) else None


def normalize(key):
    return key.strip().replace("/", ".")


def cannot_stat(key):
    common.err("sysctl: cannot stat %s: No such file or directory" % proc_path(key))


def sysctl(args, ctx):
    flags, words = common.parse_flags(args, {"--pattern", "-r"},
                                      {"--values": "-n", "--write": "-w", "--quiet": "-q", "--all": "-a",
                                       "--names": "-N", "--load": "-p", "--ignore": "-e"})
    if "--system" in flags:
        return apply_files(system_files(), quiet="-q" in flags, ignore_missing=True)
    if "-p" in flags:
        return apply_files(words or ["/etc/sysctl.conf"], quiet="-q" in flags, ignore_missing="-e" in flags)
    if "-a" in flags:
        common.not_simulated("sysctl", args)
    if not words:
        common.fail("sysctl: no variables specified\nTry `sysctl --help' for more information.", 255)
    if not any("=" in w for w in words) and "-w" not in flags:
        return print_values(words, flags, common.read_node_state().get("sysctl", {}))
    code = 0
    with common.node_state() as st:
        values = st.setdefault("sysctl", {})
        for w in words:
            if "=" in w:
                key, _, val = w.partition("=")
                key, val = normalize(key), val.strip()
                if not exists(key, values):
                    cannot_stat(key)
                    code = 255
                    continue
                values[key] = val
                if "-q" not in flags:
                    common.out(val if "-n" in flags else "%s = %s" % (key, val))
            else:
                common.err('sysctl: "%s" must be of the form name=value' % w)
                code = 255
    return code


def print_values(words, flags, values):
    code = 0
    for w in words:
        key = normalize(w)
        if not exists(key, values):
            cannot_stat(key)
            code = 255
            continue
        v = value(key, values)
        common.out(v if "-n" in flags else (key if "-N" in flags else "%s = %s" % (key, v)))
    return code


def system_files():
    chosen = {}
    for d in SYSTEM_DIRS:
        for path in sorted(glob.glob(d + "/*.conf")):
            chosen.setdefault(os.path.basename(path), path)
    files = [chosen[name] for name in sorted(chosen)]
    if os.path.exists("/etc/sysctl.conf"):
        files.append("/etc/sysctl.conf")
    return files


LINE = re.compile(r"^\s*(-?)\s*([^=\s]+)\s*=\s*(.*?)\s*$")


def apply_files(files, quiet, ignore_missing):
    code = 0
    with common.node_state() as st:
        values = st.setdefault("sysctl", {})
        for path in files:
            if not quiet:
                common.out("* Applying %s ..." % path)
            try:
                text = common.read_file(path)
            except FileNotFoundError:
                common.err("sysctl: cannot open \"%s\": No such file or directory" % path)
                code = 255
                continue
            for line in text.splitlines():
                if not line.strip() or line.lstrip().startswith(("#", ";")):
                    continue
                m = LINE.match(line)
                if not m:
                    continue
                optional, key, val = m.group(1) == "-", normalize(m.group(2)), m.group(3)
                if "*" in key:
                    continue
                if not exists(key, values):
                    if not optional:
                        cannot_stat(key)
                        if not ignore_missing:
                            code = 255
                    continue
                values[key] = val
                if not quiet:
                    common.out("%s = %s" % (key, val))
    return code


SWAPS_HEADER = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"


def swapoff(args, ctx):
    flags, paths = common.parse_flags(args, set(), {"--all": "-a", "--verbose": "-v"})
    with open("/proc/swaps") as f:
        lines = f.read().splitlines(keepends=True)
    active = lines[1:]
    keep = []
    code = 0
    if "-a" in flags:
        for line in active:
            if "-v" in flags:
                common.out("swapoff %s" % line.split()[0])
    else:
        if not paths:
            common.fail("swapoff: bad usage\nTry 'swapoff --help' for more information.", 1)
        for line in active:
            if line.split()[0] in paths:
                if "-v" in flags:
                    common.out("swapoff %s" % line.split()[0])
            else:
                keep.append(line)
        for p in paths:
            if not any(line.split()[0] == p for line in active):
                common.err("swapoff: %s: swapoff failed: Invalid argument" % p)
                code = 4
    # /proc/swaps is a file bind-mounted over the node's /proc: rewrite it in place.
    with open("/proc/swaps", "w") as f:
        f.write(SWAPS_HEADER + "".join(keep))
    return code
