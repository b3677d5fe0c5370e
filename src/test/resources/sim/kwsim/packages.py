"""apt-get, apt-mark and dnf over the simulated package universe of packages.json.

A repository's packages are installable only when its source/repo file is present and signed by
the harness's test key (the one curl serves), and, for apt, only after an `apt-get update` that
saw it. pkgs.k8s.io's v1.N repository offers every patch of its own minor, 1.N.0 to the newest
packages.json knows (repositories.kubernetes.latestPatch, kubewizard's own table), and the cluster's
configured kubernetesVersion when N is its minor; nothing of another minor. An unpinned install
takes the newest; a pin (apt `kubeadm=1.36.1-*`, dnf `kubeadm-1.36.1`) the newest matching one.
A dependency already installed is left as it is (it satisfies the dependency). Installing creates
the package's programs (the recording stand-ins, or the machine's real haproxy/keepalived) and its
services, which Debian packages enable and start and RPM packages leave alone."""
import configparser
import fnmatch
import glob
import io
import os
import re
import tarfile

from . import common, fetch, systemd

MINOR = re.compile(r"/v1\.(\d+)/")


def table():
    return common.packages_table()


def repo_of(uri):
    """The known repository a URI belongs to ("kubernetes", "docker", "cri-o"), and its minor."""
    for name, repo in table()["repositories"].items():
        if repo["match"] in uri:
            m = MINOR.search(uri)
            return name, (int(m.group(1)) if (repo.get("versioned") and m) else None)
    return None, None


def offered(package, minor, fam):
    """Every version string a repository at `minor` offers for `package` on this family, oldest first."""
    pkg = table()["packages"][package]
    repo = pkg.get("repo")
    if repo is None:
        return ["kw-sim-1"]
    if not table()["repositories"].get(repo, {}).get("versioned"):
        return ["kw-sim-1"]
    suffix = "-1.1" if fam == "deb" else "-150500.1.1"
    if repo == "cri-o":
        return ["1.%d.0" % minor + suffix]
    return [v + suffix for v in kubernetes_patches(minor)]


def kubernetes_patches(minor):
    """The upstream versions pkgs.k8s.io's v1.<minor> repository has, oldest first."""
    newest = table()["repositories"]["kubernetes"].get("latestPatch", {}).get(str(minor), 0)
    versions = ["1.%d.%d" % (minor, p) for p in range(newest + 1)]
    configured = common.kubernetes_version()
    if common.minor(configured) == minor and configured not in versions:
        versions.append(configured)
    return sorted(versions, key=version_key)


def version_key(version):
    """1.35.10 after 1.35.9: upstream x.y.z compared as numbers, then the package release."""
    head, _, release = version.partition("-")
    return [int(p) for p in head.split(".") if p.isdigit()], release


def available(package, index, fam, pin=None):
    """The version installable from the repositories in `index` ({repo: minor}): the newest, or the
    newest matching `pin` (apt's glob over the version, dnf's version or version-release). None
    when the package is not there; "" when it is, but no version matches the pin."""
    pkg = table()["packages"].get(package)
    if pkg is None or fam not in pkg.get("families", ["deb", "rpm"]):
        return None
    repo = pkg.get("repo")
    if repo is not None and repo not in index:
        return None
    versions = offered(package, index.get(repo) if repo else None, fam)
    if pin is not None:
        if fam == "deb":
            versions = [v for v in versions if fnmatch.fnmatchcase(v, pin)]
        else:
            versions = [v for v in versions if v == pin or common.upstream(v) == pin]
    return versions[-1] if versions else ""


def resolve(requested, index, fam, installed=None):
    """requested: [(name, version|None)] -> ordered {name: version} including dependencies, or an error.
    A dependency already in `installed` stays as it is."""
    plan = {}
    installed = installed or {}

    def add(name, version, wanted_by):
        if name in plan:
            return None
        if wanted_by and name in installed:
            return None
        have = available(name, index, fam, version)
        if have is None:
            return ("unmet", wanted_by, name) if wanted_by else ("missing", name)
        # apt matches `pkg=1.35.2-*` as a glob over the candidate versions (kubeadm's upgrade guide pins so).
        if have == "":
            return ("version", name, version)
        for dep in table()["packages"][name].get("depends", []):
            problem = add(dep, None, name)
            if problem:
                return problem
        plan[name] = have
        return None

    for name, version in requested:
        problem = add(name, version, None)
        if problem:
            return None, problem
    return plan, None


def install(st, plan):
    """Records the packages and creates their programs and services."""
    packages = st.setdefault("packages", {})
    pkgs = table()["packages"]
    for name, version in plan.items():
        upgrade = name in packages
        packages[name] = version
        for path, kind in pkgs[name]["binaries"].items():
            target = common.TOOL
            if kind == "host" and os.path.exists(common.HOST_ROOT + path):
                target = common.HOST_ROOT + path
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if os.path.lexists(path):
                os.unlink(path)
            os.symlink(target, path)
        # Configuration files are conffiles: a file already there (the installer's) is kept.
        for path, content in pkgs[name].get("files", {}).items():
            if not os.path.exists(path):
                common.write_file(path, content, 0o644)
        # An upgrade leaves the service as it is: it runs the old program until it is restarted.
        if not upgrade:
            systemd.install_units(st, pkgs[name].get("units", []))


def remove(st, names):
    pkgs = table()["packages"]
    for name in names:
        st.get("packages", {}).pop(name, None)
        holds = st.get("holds", [])
        if name in holds:
            holds.remove(name)
        for path in pkgs[name]["binaries"]:
            if os.path.lexists(path):
                os.unlink(path)
        for unit in pkgs[name].get("units", []):
            st.get("units", {}).pop(unit, None)


# ------------------------------------------------------------------ apt

def apt_sources():
    """(uri, suite, signed_by) of every apt source, one-line and deb822 forms."""
    entries = []
    files = ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list"))
    for path in files:
        if not os.path.exists(path):
            continue
        for line in common.read_file(path).splitlines():
            line = line.split("#", 1)[0].strip()
            m = re.match(r"^deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)", line)
            if not m:
                continue
            options = dict(o.split("=", 1) for o in (m.group(1) or "").split() if "=" in o)
            entries.append((m.group(2), m.group(3), options.get("signed-by")))
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for para in re.split(r"\n\s*\n", common.read_file(path)):
            fields = {}
            for line in para.splitlines():
                if ":" in line and not line.startswith((" ", "#")):
                    k, _, v = line.partition(":")
                    fields[k.strip().lower()] = v.strip()
            if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes") == "no":
                continue
            for uri in fields.get("uris", "").split():
                for suite in fields.get("suites", "").split():
                    entries.append((uri, suite, fields.get("signed-by")))
    return entries


def test_key():
    return fetch.dearmor(common.read_file(common.LIB_DIR + "/repository-key.asc"))


def keyring_problem(signed_by):
    """None when the keyring holds the repositories' key in a form apt reads, else apt's complaint."""
    if not signed_by:
        return None, "missing"
    if not os.path.isfile(signed_by):
        return None, "missing"
    data = open(signed_by, "rb").read()
    if signed_by.endswith(".asc"):
        ok = fetch.dearmor(data.decode("utf-8", "replace")) == test_key()
        return None, (None if ok else "missing")
    if data.startswith(b"-----BEGIN"):
        return ("W: The key(s) in the keyring %s are ignored as the file has an unsupported filetype." % signed_by,
                "missing")
    return None, (None if data == test_key() else "missing")


def apt_get(args, ctx):
    flags, words = common.parse_flags(args, {"-o", "-c", "-t"},
                                      {"--yes": "-y", "--assume-yes": "-y", "--quiet": "-q"})
    if not words:
        common.not_simulated("apt-get", args)
    verb, names = words[0], words[1:]
    if verb == "update":
        return apt_update(ctx)
    if verb == "install":
        return apt_install(flags, names, ctx)
    if verb in ("remove", "purge"):
        return apt_remove(flags, names, ctx)
    common.not_simulated("apt-get", args)


def apt_update(ctx):
    ctx.work()
    index = {}
    errors = []
    warnings = []
    n = 0
    for uri, suite, signed_by in apt_sources():
        n += 1
        repo, minor = repo_of(uri)
        if repo is None:
            common.out("Hit:%d %s %s InRelease" % (n, uri, suite))
            continue
        if common.no_internet():
            host = re.sub(r"^https?://([^/:]+).*$", r"\1", uri)
            common.out("Err:%d %s %s InRelease\n  Temporary failure resolving '%s'" % (n, uri, suite, host))
            warnings.append("W: Failed to fetch %sdists/%s/InRelease  Temporary failure resolving '%s'" % (uri, suite, host))
            continue
        warning, problem = keyring_problem(signed_by)
        if warning:
            warnings.append(warning)
        if problem:
            common.out("Get:%d %s %s InRelease [1186 B]\nErr:%d %s %s InRelease\n  The following signatures couldn't be"
                       " verified because the public key is not available: NO_PUBKEY 06FA2AD88D010B4F"
                       % (n, uri, suite, n, uri, suite))
            warnings.append("W: GPG error: %s %s InRelease: The following signatures couldn't be verified because the"
                            " public key is not available: NO_PUBKEY 06FA2AD88D010B4F" % (uri, suite))
            errors.append("E: The repository '%s %s InRelease' is not signed." % (uri, suite))
            continue
        common.out("Get:%d %s %s InRelease [1186 B]" % (n, uri, suite))
        index[repo] = minor
    common.out("Reading package lists... Done")
    for w in warnings:
        common.err(w)
    for e in errors:
        common.err(e)
    with common.node_state() as st:
        st["aptIndex"] = index
        st["aptUpdates"] = st.get("aptUpdates", 0) + 1
    return 100 if errors else 0


def deb_control(path):
    """The control fields of a .deb file (an ar archive holding control.tar.{gz,xz,zst}), as dpkg reads them."""
    try:
        data = open(path, "rb").read()
    except OSError as e:
        common.fail("E: Unsupported file %s given on commandline (%s)" % (path, e.strerror), 100)
    if not data.startswith(b"!<arch>\n"):
        common.fail("E: Invalid archive signature\nE: Internal error, could not locate member control.tar{.zst,.lz4,.gz,.xz,.bz2,.lzma,}"
                    "\nE: Could not read meta data from %s\nE: The package lists or status file could not be parsed or opened." % path, 100)
    i = 8
    while i + 60 <= len(data):
        name = data[i:i + 16].decode().strip().rstrip("/")
        size = int(data[i + 48:i + 58].decode().strip())
        body = data[i + 60:i + 60 + size]
        i += 60 + size + (size % 2)
        if name.startswith("control.tar"):
            with tarfile.open(fileobj=io.BytesIO(body), mode="r:*") as t:
                for member in t.getmembers():
                    if member.name in ("./control", "control"):
                        text = t.extractfile(member).read().decode()
                        fields = {}
                        for line in text.splitlines():
                            if ":" in line and not line.startswith(" "):
                                k, _, v = line.partition(":")
                                fields[k.strip()] = v.strip()
                        return fields
    common.fail("E: Could not read meta data from %s" % path, 100)


def depends_names(field):
    """The package names a Depends: field needs: the first of each set of alternatives, without versions."""
    out = []
    for part in (field or "").split(","):
        first = part.split("|")[0].strip()
        name = re.sub(r"\s*\(.*\)$", "", first).split(":")[0].strip()
        if name:
            out.append(name)
    return out


def files_plan(fam, local, index, installed, unmet):
    """The install of package files: `local` {name: (version, [dependency names])} at their versions,
    each dependency from the other files, what is installed, or the repositories in `index` (the OS's
    own packages are always there); `unmet(name, dep)` fails for a dependency none of them has."""
    plan = {}
    for name, (version, deps) in local.items():
        for dep in deps:
            if dep in local or dep in installed or dep in plan:
                continue
            more, problem = resolve([(dep, None)], index, fam, installed)
            if problem:
                unmet(name, dep)
            plan.update(more)
    for name, (version, _) in local.items():
        plan[name] = version
    return plan


def apt_install_files(flags, files, others, ctx):
    """`apt-get install ./a.deb /b.deb`: the files' packages at their versions (files_plan), with other
    packages named beside them."""
    local = {}
    for path in files:
        c = deb_control(path)
        name, version = c.get("Package", ""), c.get("Version", "")
        if name not in table()["packages"]:
            common.not_simulated("apt-get", ["install", path + " (package %s)" % name])
        local[name] = (version, depends_names(c.get("Depends")))

    def unmet(name, dep):
        common.fail("Some packages could not be installed.\nThe following packages have unmet dependencies:\n"
                    " %s : Depends: %s but it is not installable\n"
                    "E: Unable to correct problems, you have held broken packages." % (name, dep), 100)

    with common.node_state() as st:
        installed = st.get("packages", {})
        plan = files_plan("deb", local, st.get("aptIndex", {}), installed, unmet)
        for name in others:
            if name not in plan and name not in installed:
                common.fail("E: Unable to locate package %s" % name, 100)
        holds = st.get("holds", [])
        changes = {k: v for k, v in plan.items() if installed.get(k) != v}
        held = [k for k in changes if k in holds and k in installed]
        if held and "--allow-change-held-packages" not in flags:
            common.fail("E: Held packages were changed and -y was used without --allow-change-held-packages.", 100)
        new = [k for k in changes if k not in installed]
        common.out("The following NEW packages will be installed:\n  " + " ".join(new) if new else "")
        common.out("%d upgraded, %d newly installed, 0 to remove and 0 not upgraded." % (len(changes) - len(new), len(new)))
        if not changes:
            return 0
        if "-y" not in flags:
            common.fail("Do you want to continue? [Y/n] Abort.", 1)
        ctx.work()
        for k, v in changes.items():
            common.out("Setting up %s (%s) ..." % (k, v))
        install(st, changes)
        st.setdefault("installedFromFiles", []).extend(sorted(local))
    return 0


def apt_install(flags, names, ctx):
    common.out("Reading package lists...\nBuilding dependency tree...\nReading state information...")
    files = [n for n in names if "/" in n and n.endswith(".deb")]
    if files:
        return apt_install_files(flags, files, [n for n in names if n not in files], ctx)
    requested = []
    for n in names:
        name, _, version = n.partition("=")
        requested.append((name, version or None))
    with common.node_state() as st:
        index = st.get("aptIndex", {})
        installed = st.get("packages", {})
        plan, problem = resolve(requested, index, "deb", installed)
        if problem:
            kind = problem[0]
            if kind == "missing":
                common.fail("E: Unable to locate package %s" % problem[1], 100)
            if kind == "version":
                common.fail("E: Version '%s' for '%s' was not found" % (problem[2], problem[1]), 100)
            common.fail("Some packages could not be installed.\nThe following packages have unmet dependencies:\n"
                        " %s : Depends: %s but it is not installable\n"
                        "E: Unable to correct problems, you have held broken packages." % (problem[1], problem[2]), 100)
        holds = st.get("holds", [])
        changes = {k: v for k, v in plan.items() if installed.get(k) != v}
        for name, _ in requested:
            if name not in changes:
                common.out("%s is already the newest version (%s)." % (name, installed[name]))
        new = [k for k in changes if k not in installed]
        upgraded = [k for k in changes if k in installed and version_key(changes[k]) > version_key(installed[k])]
        downgraded = [k for k in changes if k in installed and k not in upgraded]
        if upgraded:
            common.out("The following packages will be upgraded:\n  " + " ".join(upgraded))
        if downgraded:
            common.out("The following packages will be DOWNGRADED:\n  " + " ".join(downgraded))
        if new:
            common.out("The following NEW packages will be installed:\n  " + " ".join(new))
        common.out("%d upgraded, %d newly installed, %s0 to remove and 0 not upgraded."
                   % (len(upgraded), len(new), "%d downgraded, " % len(downgraded) if downgraded else ""))
        held = [k for k in changes if k in holds and k in installed]
        if held and "--allow-change-held-packages" not in flags:
            common.fail("E: Held packages were changed and -y was used without --allow-change-held-packages.", 100)
        if downgraded and "--allow-downgrades" not in flags:
            common.fail("E: Packages were downgraded and -y was used without --allow-downgrades.", 100)
        if not changes:
            return 0
        if "-y" not in flags:
            common.fail("Do you want to continue? [Y/n] Abort.", 1)
        ctx.work()
        for k, v in changes.items():
            if k in installed:
                common.out("Unpacking %s (%s) over (%s) ..." % (k, v, installed[k]))
        for k, v in changes.items():
            common.out("Setting up %s (%s) ..." % (k, v))
        install(st, changes)
    return 0


def apt_remove(flags, names, ctx):
    with common.node_state() as st:
        installed = st.get("packages", {})
        for n in names:
            if n not in table()["packages"]:
                common.fail("E: Unable to locate package %s" % n, 100)
        gone = [n for n in names if n in installed]
        if gone and "-y" not in flags:
            common.fail("Do you want to continue? [Y/n] Abort.", 1)
        ctx.work()
        for n in gone:
            common.out("Removing %s (%s) ..." % (n, installed[n]))
        remove(st, gone)
    return 0


def apt_mark(args, ctx):
    if not args:
        common.not_simulated("apt-mark", args)
    verb, names = args[0], args[1:]
    with common.node_state() as st:
        holds = st.setdefault("holds", [])
        if verb == "showhold":
            for h in sorted(holds):
                common.out(h)
            return 0
        for n in names:
            if n not in table()["packages"]:
                common.fail("E: Unable to locate package %s" % n, 100)
        for n in names:
            if verb == "hold":
                common.out("%s was already set on hold." % n if n in holds else "%s set on hold." % n)
                if n not in holds:
                    holds.append(n)
            elif verb == "unhold":
                common.out("Canceled hold on %s." % n if n in holds else "%s was already not on hold." % n)
                if n in holds:
                    holds.remove(n)
            else:
                common.not_simulated("apt-mark", args)
    return 0


def dpkg(args, ctx):
    """`dpkg -s PKG...`: the status of packages as the node's package stand-ins installed them."""
    if len(args) < 2 or args[0] not in ("-s", "--status"):
        common.not_simulated("dpkg", args)
    installed = common.read_node_state().get("packages", {})
    code = 0
    shown = 0
    for name in args[1:]:
        version = installed.get(name)
        if version is None:
            common.err("dpkg-query: package '%s' is not installed and no information is available" % name)
            code = 1
            continue
        # Records are separated by a blank line, as dpkg-query prints them.
        common.out(("\n" if shown else "") + "Package: %s\nStatus: install ok installed\nArchitecture: amd64\nVersion: %s"
                   % (name, version))
        shown += 1
    if code:
        common.err("Use dpkg --contents (= dpkg-deb --contents) to list archive files contents.")
    return code


# ------------------------------------------------------------------ dnf

def dnf_repos():
    """{section: (repo, minor, excludes, problem)} of the enabled .repo sections that are known repositories."""
    repos = {}
    for path in sorted(glob.glob("/etc/yum.repos.d/*.repo")):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path)
        except configparser.Error as e:
            common.fail("Error: Parsing file '%s' failed: %s" % (path, e), 1)
        for section in parser.sections():
            s = parser[section]
            if s.get("enabled", "1").strip() == "0":
                continue
            repo, minor = repo_of(s.get("baseurl", ""))
            if repo is None:
                continue
            problem = None
            if s.get("gpgcheck", "1").strip() == "1":
                keys = s.get("gpgkey", "").split()
                if not keys or any(fetch.key_for(k) is None for k in keys):
                    problem = "Curl error (6): Couldn't resolve host name for %s" % (keys[0] if keys else "(no gpgkey)")
            excludes = set(re.split(r"[\s,]+", s.get("exclude", "").strip())) - {""}
            repos[section] = (repo, minor, excludes, problem)
    return repos


def split_rpm_spec(spec):
    names = sorted(table()["packages"], key=len, reverse=True)
    if spec in table()["packages"]:
        return spec, None
    for n in names:
        if spec.startswith(n + "-") and spec[len(n) + 1:][:1].isdigit():
            return n, spec[len(n) + 1:]
    return spec, None


RPM_TAGS = {1000: "name", 1001: "version", 1002: "release", 1003: "epoch", 1022: "arch", 1049: "requires"}


def rpm_header(path):
    """The name, version, release, epoch, arch and requires of an .rpm file, read from its header as rpm
    reads it: the 96-byte lead, the signature header (padded to 8 bytes), then the main header, whose
    index entries (tag, type, offset, count) point into its data store. Not an rpm: dnf's own error."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        common.fail("Error: Can not load RPM file: %s." % path, 1)

    def header(at):
        if data[at:at + 3] != b"\x8e\xad\xe8":
            raise ValueError("no header at %d" % at)
        count = int.from_bytes(data[at + 8:at + 12], "big")
        size = int.from_bytes(data[at + 12:at + 16], "big")
        store = at + 16 + 16 * count
        entries = []
        for i in range(count):
            e = at + 16 + 16 * i
            entries.append(tuple(int.from_bytes(data[e + k:e + k + 4], "big") for k in (0, 4, 8, 12)))
        return entries, store, store + size

    try:
        if data[:4] != b"\xed\xab\xee\xdb":
            raise ValueError("no lead")
        _, _, end = header(96)
        entries, store, _ = header(end + (-end % 8))
        out = {"requires": []}
        for tag, kind, offset, count in entries:
            if tag not in RPM_TAGS:
                continue
            at = store + offset
            if kind == 4:  # INT32
                value = [int.from_bytes(data[at + 4 * i:at + 4 * i + 4], "big") for i in range(count)]
            elif kind in (6, 8, 9):  # STRING, STRING_ARRAY, I18NSTRING
                value = data[at:].split(b"\0")[:max(count, 1)]
                value = [v.decode() for v in value]
            else:
                continue
            out[RPM_TAGS[tag]] = value if tag == 1049 else value[0]
    except (ValueError, IndexError, UnicodeDecodeError):
        common.fail("Error: Can not load RPM file: %s." % path, 1)
    out["requires"] = [r for r in out["requires"] if not r.startswith(("rpmlib(", "/", "("))]
    return out


def dnf_install_files(flags, files, others, ctx):
    """`dnf install ./a.rpm /b.rpm`: the files' packages at version-release (files_plan); an installed one
    at a newer version is not downgraded by an install."""
    local = {}
    arches = {}
    for path in files:
        h = rpm_header(path)
        name = h.get("name", "")
        if name not in table()["packages"]:
            common.not_simulated("dnf", ["install", path + " (package %s)" % name])
        local[name] = ("%s-%s" % (h.get("version", ""), h.get("release", "")), h["requires"])
        arches[name] = h.get("arch", "")
    for name, arch in arches.items():
        if arch not in ("x86_64", "noarch"):
            common.fail("Error: \n Problem: package %s-%s.%s does not have a compatible architecture"
                        % (name, local[name][0], arch), 1)

    def unmet(name, dep):
        common.fail("Error: \n Problem: conflicting requests\n  - nothing provides %s needed by %s-%s.%s"
                    % (dep, name, local[name][0], arches[name]), 1)

    with common.node_state() as st:
        installed = st.get("packages", {})
        index = {repo: minor for _, (repo, minor, _, _) in dnf_repos().items()}
        plan = files_plan("rpm", local, index, installed, unmet)
        for name in others:
            if name not in plan and name not in installed:
                common.fail("Error: Unable to find a match: %s" % name, 1)
        for name, version in list(plan.items()):
            if name in installed and version_key(installed[name]) > version_key(version):
                common.out("Package %s-%s.x86_64 is already installed." % (name, installed[name]))
                del plan[name]
        changes = {k: v for k, v in plan.items() if installed.get(k) != v}
        common.out("Dependencies resolved.")
        if not changes:
            common.out("Nothing to do.\nComplete!")
            return 0
        if "-y" not in flags:
            common.fail("Is this ok [y/N]: Operation aborted.", 1)
        ctx.work()
        fresh = [k for k in changes if k not in installed]
        install(st, changes)
        st.setdefault("installedFromFiles", []).extend(sorted(local))
        common.out("\nInstalled:\n" + "".join("  %s-%s.%s\n" % (k, changes[k], arches.get(k, "x86_64")) for k in fresh)
                   + "\nComplete!")
    return 0


def dnf(args, ctx):
    flags, words = common.parse_flags(args, {"--setopt", "--repo", "--enablerepo", "--disablerepo"},
                                      {"--assumeyes": "-y"})
    if not words:
        common.not_simulated("dnf", args)
    verb, names = words[0], words[1:]
    if verb == "makecache":
        ctx.work()
        common.out("Metadata cache created.")
        return 0
    if verb in ("remove", "erase"):
        with common.node_state() as st:
            gone = [n for n in names if n in st.get("packages", {})]
            if not gone:
                common.fail("No packages marked for removal.\nDependencies resolved.\nNothing to do.\nComplete!", 0)
            if "-y" not in flags:
                common.fail("Is this ok [y/N]: Operation aborted.", 1)
            ctx.work()
            remove(st, gone)
            common.out("Removed:\n  " + "\n  ".join(gone) + "\n\nComplete!")
        return 0
    if verb != "install":
        common.not_simulated("dnf", args)
    files = [n for n in names if "/" in n and n.endswith(".rpm")]
    if files:
        return dnf_install_files(flags, files, [n for n in names if n not in files], ctx)
    disabled_excludes = set()
    for v in flags.get("--disableexcludes", []):
        disabled_excludes.update(v.split(","))
    repos = dnf_repos()
    for section, (_, _, _, problem) in repos.items():
        if problem:
            common.fail("%s\nError: Failed to download metadata for repo '%s': Cannot download repomd.xml"
                        % (problem, section), 1)
    index = {}
    excluded = set()
    for section, (repo, minor, excludes, _) in repos.items():
        index[repo] = minor
        if section not in disabled_excludes and "all" not in disabled_excludes and "main" not in disabled_excludes:
            excluded |= excludes
    requested = [split_rpm_spec(n) for n in names]
    missing = [spec for spec, (n, v) in zip(names, requested)
               if n in excluded or available(n, index, "rpm", v) in (None, "")]
    if missing:
        for m in missing:
            common.out("No match for argument: %s" % m)
        common.fail("Error: Unable to find a match: %s" % " ".join(missing), 1)
    with common.node_state() as st:
        installed = st.get("packages", {})
        already = [n for n, v in requested if v is None and n in installed]
        for n in already:
            # dnf install never upgrades what is installed unless a version is asked for
            common.out("Package %s-%s.x86_64 is already installed." % (n, installed[n]))
        plan, problem = resolve([(n, v) for n, v in requested if n not in already], index, "rpm", installed)
        if problem:
            common.fail("Error: \n Problem: conflicting requests\n  - nothing provides %s needed by %s"
                        % (problem[-1], problem[1] if len(problem) > 2 else problem[-1]), 1)
        changes = {k: v for k, v in plan.items() if installed.get(k) != v}
        common.out("Dependencies resolved.")
        if not changes:
            common.out("Nothing to do.\nComplete!")
            return 0
        if "-y" not in flags:
            common.fail("Is this ok [y/N]: Operation aborted.", 1)
        ctx.work()
        upgraded = [k for k in changes if k in installed]
        install(st, changes)
        if upgraded:
            common.out("\nUpgraded:\n" + "".join("  %s-%s.x86_64\n" % (k, changes[k]) for k in upgraded))
        fresh = [k for k in changes if k not in upgraded]
        if fresh:
            common.out("\nInstalled:\n" + "".join("  %s-%s.x86_64\n" % (k, changes[k]) for k in fresh))
        common.out("\nComplete!")
    return 0


def rpm(args, ctx):
    """`rpm -q PKG...`: name-version-release.arch of each installed package, or that it is not installed."""
    if len(args) < 2 or args[0] not in ("-q", "--query"):
        common.not_simulated("rpm", args)
    installed = common.read_node_state().get("packages", {})
    code = 0
    for name in args[1:]:
        version = installed.get(name)
        if version is None:
            common.out("package %s is not installed" % name)
            code = 1
        else:
            common.out("%s-%s.x86_64" % (name, version))
    return code
