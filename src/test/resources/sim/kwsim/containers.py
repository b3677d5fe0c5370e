"""containerd's `ctr`, as far as `kubewizard verify --node-conformance` asks it: `ctr [-n NS] images pull
IMAGE` (offline: only images of a registry the cluster pulls from, registry.k8s.io or the registry of
a static pod's image in api.json; any other is not found), and `ctr [-n NS] run [--rm] [--privileged]
[--net-host] [--mount type=bind,src=S,dst=D,options=O]... IMAGE ID [ARGS...]`, which refuses any other
flag, an image not pulled into that namespace and a bind source that does not exist. The node
conformance image (`.../node-test[-ARCH]:TAG`) "runs" the test: it needs the node's root at /rootfs and
a results directory at /var/result, writes junit_01.xml and build-log.txt into the host path bound
there, and exits 0 (a control.json "fail" rule matching ctr run makes it fail instead, before that)."""
import json
import os
import tarfile

from . import common

GLOBAL_WITH_VALUE = {"-n", "--namespace", "-a", "--address"}
RUN_FLAGS = {"--rm", "--privileged", "--net-host"}


def known_registries():
    registries = {"registry.k8s.io"}
    for pods in (common.read_api_state().get("staticPods") or {}).values():
        for pod in (pods or {}).values():
            image = pod.get("image") or ""
            if "/" in image:
                registries.add(image.rsplit("/", 1)[0].split("/")[0])
    return registries


def registry(image):
    first = image.split("/", 1)[0]
    return first if "/" in image and ("." in first or ":" in first or first == "localhost") else "docker.io"


def ctr(args, ctx):
    if args in (["--version"], ["-v"], ["version"]):
        from . import stubs
        return stubs.program("ctr", args, ctx)
    namespace = "default"
    i = 0
    while i < len(args) and args[i].startswith("-"):
        name, eq, value = args[i].partition("=")
        if name not in GLOBAL_WITH_VALUE:
            common.fail("Incorrect Usage: flag provided but not defined: %s" % name)
        if not eq:
            if i + 1 >= len(args):
                common.fail("Incorrect Usage: flag needs an argument: %s" % name)
            i += 1
            value = args[i]
        if name in ("-n", "--namespace"):
            namespace = value
        i += 1
    words = args[i:]
    if words[:2] == ["images", "pull"] or words[:2] == ["image", "pull"]:
        return pull(words[2:], namespace)
    if words[:1] == ["run"]:
        return run(words[1:], namespace)
    if words[:2] in (["images", "import"], ["image", "import"]):
        return import_archive(words[2:], namespace)
    if words[:2] in (["images", "ls"], ["image", "ls"], ["images", "list"]) and words[2:] == ["-q"]:
        for image in (common.read_node_state().get("ctrImages") or {}).get(namespace, []):
            common.out(image)
        return 0
    common.not_simulated("ctr", args)


def pull(words, namespace):
    if len(words) != 1 or words[0].startswith("-"):
        common.not_simulated("ctr", ["images", "pull"] + words)
    image = words[0]
    if registry(image) not in known_registries():
        common.fail('ctr: failed to resolve reference "%s": failed to do request: Head "https://%s/v2/": '
                    'dial tcp: lookup %s: no such host' % (image, registry(image), registry(image)))
    with common.node_state() as state:
        pulled = state.setdefault("ctrImages", {}).setdefault(namespace, [])
        if image not in pulled:
            pulled.append(image)
    common.out("%s: resolved" % image)
    common.out("done")
    return 0


def import_archive(words, namespace):
    """`ctr images import FILE`: an OCI image-layout (or docker save) tar; the images its index.json
    names (io.containerd.image.name) or its manifest.json's RepoTags become pulled, and every blob the
    index points at must be in the archive, as containerd checks."""
    if len(words) != 1 or words[0].startswith("-"):
        common.not_simulated("ctr", ["images", "import"] + words)
    path = words[0]
    try:
        t = tarfile.open(path)
    except (OSError, tarfile.TarError) as e:
        common.fail("ctr: failed to read %s: %s" % (path, e))
    with t:
        names = set(t.getnames())
        names |= {n[2:] for n in names if n.startswith("./")}
        refs = []
        if "index.json" in names:
            index = json.load(t.extractfile("index.json" if "index.json" in t.getnames() else "./index.json"))
            for m in index.get("manifests", []):
                digest = m.get("digest", "")
                blob = "blobs/" + digest.replace(":", "/")
                if blob not in names:
                    common.fail("ctr: content digest %s: not found" % digest)
                ref = (m.get("annotations") or {}).get("io.containerd.image.name")
                if ref:
                    refs.append(ref)
        elif "manifest.json" in names:
            for m in json.load(t.extractfile("manifest.json")):
                refs.extend(m.get("RepoTags") or [])
        else:
            common.fail("ctr: unrecognized image format")
    if not refs:
        common.fail("ctr: %s names no image" % path)
    with common.node_state() as state:
        pulled = state.setdefault("ctrImages", {}).setdefault(namespace, [])
        imported = state.setdefault("importedImages", [])
        for ref in refs:
            if ref not in pulled:
                pulled.append(ref)
            imported.append(ref)
            common.out("unpacking %s (sha256:...)...done" % ref)
    return 0


def images(namespace="k8s.io"):
    """The images a runtime namespace holds."""
    return (common.read_node_state().get("ctrImages") or {}).get(namespace, [])


def run(words, namespace):
    mounts = {}
    i = 0
    while i < len(words) and words[i].startswith("-"):
        name, eq, value = words[i].partition("=")
        if name == "--mount":
            if not eq:
                if i + 1 >= len(words):
                    common.fail("Incorrect Usage: flag needs an argument: --mount")
                i += 1
                value = words[i]
            fields = dict(f.partition("=")[::2] for f in value.split(","))
            if fields.get("type") != "bind" or not fields.get("src") or not fields.get("dst"):
                common.fail("ctr: invalid mount %s" % value)
            if not os.path.exists(fields["src"]):
                common.fail("ctr: failed to create shim task: mount %s: no such file or directory" % fields["src"])
            mounts[fields["dst"]] = fields
        elif name in RUN_FLAGS and not eq:
            pass
        else:
            common.fail("Incorrect Usage: flag provided but not defined: %s" % name)
        i += 1
    rest = words[i:]
    if len(rest) < 2:
        common.fail("ctr: image ref and container id must be provided")
    image, _container = rest[0], rest[1]
    if image not in (common.read_node_state().get("ctrImages") or {}).get(namespace, []):
        common.fail('ctr: image "%s": not found' % image)
    if "/node-test" not in image:
        common.not_simulated("ctr", ["run"] + words)
    for needed in ("/rootfs", "/var/result"):
        if needed not in mounts:
            common.fail("node-test: %s is not mounted" % needed)
    results = mounts["/var/result"]["src"]
    me = common.node()["name"]
    common.write_file(os.path.join(results, "junit_01.xml"),
                      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="Node Conformance" tests="1" failures="0">'
                      '<testcase name="%s"/></testsuite>\n' % me)
    common.write_file(os.path.join(results, "build-log.txt"), "kw-sim node conformance on %s: passed\n" % me)
    common.out("Ran 1 of 1 Specs\nSUCCESS! -- 1 Passed | 0 Failed")
    return 0
