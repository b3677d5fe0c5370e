"""kubectl against the simulated API server (the shared api.json).

It connects only with a kubeconfig whose server is one of the cluster's API endpoints, whose CA is
the cluster's and whose client certificate the cluster CA really signed (openssl verify). Nodes
are Ready once a pod network is applied (a CNI DaemonSet, or calico's Installation with its
operator). `apply` maps kinds like the real client: a custom resource needs its CRD applied by an
EARLIER kubectl call ("ensure CRDs are installed first"), and a namespaced object needs its
namespace. The CNI manifests at their usual upstream URLs are known by shape; other URLs do not
resolve (no internet)."""
import json
import os
import re
import tempfile
import time

import yaml

from . import common, pki

BUILTIN = {
    "Namespace": ("v1", False), "ServiceAccount": ("v1", True), "ConfigMap": ("v1", True), "Secret": ("v1", True),
    "Service": ("v1", True), "Pod": ("v1", True), "Endpoints": ("v1", True), "PersistentVolume": ("v1", False),
    "PersistentVolumeClaim": ("v1", True), "ResourceQuota": ("v1", True), "LimitRange": ("v1", True),
    "Node": ("v1", False), "Deployment": ("apps/v1", True), "DaemonSet": ("apps/v1", True),
    "StatefulSet": ("apps/v1", True), "ReplicaSet": ("apps/v1", True), "Job": ("batch/v1", True),
    "CronJob": ("batch/v1", True), "Role": ("rbac.authorization.k8s.io/v1", True),
    "ClusterRole": ("rbac.authorization.k8s.io/v1", False), "RoleBinding": ("rbac.authorization.k8s.io/v1", True),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1", False),
    "CustomResourceDefinition": ("apiextensions.k8s.io/v1", False), "PriorityClass": ("scheduling.k8s.io/v1", False),
    "StorageClass": ("storage.k8s.io/v1", False), "CSIDriver": ("storage.k8s.io/v1", False),
    "APIService": ("apiregistration.k8s.io/v1", False),
    "MutatingWebhookConfiguration": ("admissionregistration.k8s.io/v1", False),
    "ValidatingWebhookConfiguration": ("admissionregistration.k8s.io/v1", False),
    "PodDisruptionBudget": ("policy/v1", True), "NetworkPolicy": ("networking.k8s.io/v1", True),
    "IngressClass": ("networking.k8s.io/v1", False), "Ingress": ("networking.k8s.io/v1", True),
    "RuntimeClass": ("node.k8s.io/v1", False), "Lease": ("coordination.k8s.io/v1", True),
}
DEFAULT_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}
RESOURCE_KINDS = {"node": "Node", "nodes": "Node", "no": "Node", "crd": "CustomResourceDefinition",
                  "crds": "CustomResourceDefinition", "customresourcedefinition": "CustomResourceDefinition",
                  "customresourcedefinitions": "CustomResourceDefinition", "ds": "DaemonSet", "daemonset": "DaemonSet",
                  "daemonsets": "DaemonSet", "deploy": "Deployment", "deployment": "Deployment",
                  "deployments": "Deployment", "ns": "Namespace", "namespace": "Namespace", "namespaces": "Namespace",
                  "cm": "ConfigMap", "configmap": "ConfigMap", "configmaps": "ConfigMap"}
BOOL_FLAGS_WITH_NO_VALUE = {"--all", "-A", "--all-namespaces", "--server-side", "--force-conflicts", "--client",
                            "--overwrite", "--wait"}


def kubectl(args, ctx):
    flags, words = common.parse_flags(args, {"--kubeconfig", "-n", "--for", "--timeout", "-f", "-o", "--context",
                                             "--field-manager", "--server", "-l", "--request-timeout"},
                                      {"--namespace": "-n", "--output": "-o", "--filename": "-f", "--selector": "-l"})
    if not words:
        common.not_simulated("kubectl", args)
    verb = words[0]
    if verb == "version" and "--client" in flags:
        common.out("Client Version: v%s\nKustomize Version: v5.7.1" % client_version())
        return 0
    if verb not in ("version", "get", "wait", "apply", "delete", "cluster-info", "rollout"):
        common.not_simulated("kubectl", args)
    api = connect(flags)
    ctx.work()
    if verb == "version":
        common.out("Client Version: v%s\nKustomize Version: v5.7.1\nServer Version: %s"
                   % (client_version(), api.get("kubernetesVersion")))
        return 0
    if verb == "cluster-info":
        common.out("Kubernetes control plane is running at https://%s" % api["endpoints"][0])
        return 0
    if verb == "get" and "-f" in flags:
        return get_files(flags, api, ctx)
    if verb == "get":
        return get(words[1:], flags, api)
    if verb == "wait":
        return wait(words[1:], flags)
    if verb == "apply":
        return apply(flags, ctx)
    if verb == "delete":
        return delete(words[1:], args)
    if verb == "rollout" and len(words) > 2 and words[1] == "restart":
        return rollout_restart(words[2:], flags, api)
    common.not_simulated("kubectl", args)


def client_version():
    return common.installed_version("kubectl") or common.kubernetes_version()


def connect(flags):
    path = common.last(flags, "--kubeconfig") or os.environ.get("KUBECONFIG") or os.path.expanduser("~/.kube/config")
    if not os.path.exists(path):
        if common.last(flags, "--kubeconfig"):
            common.fail("error: stat %s: no such file or directory" % path, 1)
        common.fail("The connection to the server localhost:8080 was refused - did you specify the right host or port?", 1)
    try:
        server, ca, cert, _ = pki.read_kubeconfig(path)
    except (ValueError, KeyError, yaml.YAMLError) as e:
        common.fail("error: error loading config file \"%s\": %s" % (path, e), 1)
    api = common.read_api_state()
    hostport = (server or "").split("://", 1)[-1].rstrip("/")
    if not api.get("controlPlanes") or hostport not in api.get("endpoints", []):
        common.fail("The connection to the server %s was refused - did you specify the right host or port?" % hostport, 1)
    if ca is None or ca.strip() != api["caPem"].encode().strip():
        common.fail("Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by "
                    "unknown authority", 1)
    with tempfile.NamedTemporaryFile("w", suffix=".crt") as f:
        f.write(api["caPem"])
        f.flush()
        if cert is None or not pki.verify(cert, f.name):
            common.fail("error: You must be logged in to the server (Unauthorized)", 1)
    return api


def age(ns):
    s = max(0, (time.time_ns() - ns) // 10 ** 9)
    if s < 120:
        return "%ds" % s
    if s < 7200:
        return "%dm" % (s // 60)
    return "%dh" % (s // 3600)


def network_ready(api):
    objects = api.get("objects", [])
    if any(o["kind"] == "DaemonSet" and o["name"] != "kube-proxy" for o in objects):
        return True
    return any(o["kind"] == "Installation" for o in objects) and \
        any(o["kind"] == "Deployment" and o["name"] == "tigera-operator" for o in objects)


def node_ready(api, name):
    return name in api.get("nodes", {}) and network_ready(api)


def targets(words):
    """[(kind, name|None)] from "nodes a b", "node/a", "crd --all" style arguments."""
    out = []
    kind = None
    for w in words:
        if "/" in w:
            k, _, n = w.partition("/")
            out.append((RESOURCE_KINDS.get(k.lower(), k), n))
        elif kind is None:
            kind = RESOURCE_KINDS.get(w.lower())
            if kind is None:
                common.fail('error: the server doesn\'t have a resource type "%s"' % w, 1)
        else:
            out.append((kind, w))
    if kind and not any(k == kind for k, _ in out):
        out.append((kind, None))
    return out


def get(words, flags, api):
    wanted = targets(words)
    code = 0
    rows = []
    for kind, name in wanted:
        if kind != "Node":
            objs = [o for o in api.get("objects", []) if o["kind"] == kind and (name is None or o["name"] == name)]
            if name and not objs:
                common.err('Error from server (NotFound): %ss "%s" not found' % (kind.lower(), name))
                code = 1
            rows.extend(("%s/%s" % (kind.lower(), o["name"]), o) for o in objs)
            continue
        names = sorted(api.get("nodes", {})) if name is None else [name]
        for n in names:
            if n not in api.get("nodes", {}):
                common.err('Error from server (NotFound): nodes "%s" not found' % n)
                code = 1
                continue
            rows.append(("node/" + n, dict(api["nodes"][n], name=n)))
    fmt = common.last(flags, "-o")
    if fmt == "name":
        for ident, _ in rows:
            common.out(ident)
    elif fmt == "json":
        common.out(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
            {"kind": "Node" if i.startswith("node/") else o.get("kind"), "metadata": {"name": o["name"]},
             "status": {"conditions": [{"type": "Ready", "status": "True" if node_ready(api, o["name"]) else "False"}]}
             if i.startswith("node/") else {}} for i, o in rows]}, indent=2))
    elif rows and all(i.startswith("node/") for i, _ in rows):
        common.out("%-20s %-9s %-15s %-5s %s" % ("NAME", "STATUS", "ROLES", "AGE", "VERSION"))
        for _, n in rows:
            common.out("%-20s %-9s %-15s %-5s %s" % (n["name"], "Ready" if node_ready(api, n["name"]) else "NotReady",
                                                     ",".join(n["roles"]) or "<none>", age(n["joinedNs"]),
                                                     n["kubeletVersion"]))
    elif rows:
        common.out("NAME")
        for ident, _ in rows:
            common.out(ident)
    elif code == 0:
        common.err("No resources found")
    return code


def duration(text):
    m = re.fullmatch(r"(\d+)(ms|s|m|h)?", text or "30s")
    if not m:
        common.fail('error: invalid argument "%s" for "--timeout" flag: time: invalid duration "%s"' % (text, text), 1)
    n = int(m.group(1))
    return n * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[m.group(2)]


def wait(words, flags):
    condition = common.last(flags, "--for", "")
    if not condition.startswith("condition="):
        common.not_simulated("kubectl", ["wait", "--for=" + condition])
    cond = condition.split("=", 1)[1].split("=")[0]
    cap = common.config().get("maxWaitSeconds", 600)
    deadline = time.monotonic() + min(duration(common.last(flags, "--timeout")), cap)
    everything = "--all" in flags
    while True:
        api = common.read_api_state()
        pending, met, missing = [], [], []
        for kind, name in targets(words):
            if name is None and not everything:
                common.fail("error: resource(s) were provided, but no name was specified", 1)
            if kind == "Node":
                names = sorted(api.get("nodes", {})) if name is None else [name]
                for n in names:
                    if n not in api.get("nodes", {}):
                        missing.append('Error from server (NotFound): nodes "%s" not found' % n)
                    elif cond == "Ready" and node_ready(api, n):
                        met.append("node/" + n)
                    else:
                        pending.append("nodes/" + n)
            else:
                objs = [o for o in api.get("objects", []) if o["kind"] == kind and (name is None or o["name"] == name)]
                if not objs:
                    missing.append("error: no matching resources found" if name is None else
                                   'Error from server (NotFound): %ss "%s" not found' % (kind.lower(), name))
                for o in objs:
                    ok = cond in ("Established", "NamesAccepted") if kind == "CustomResourceDefinition" else \
                        cond in ("Available", "Ready")
                    (met if ok else pending).append("%s/%s" % (display_kind(o), o["name"]))
        if missing:
            common.fail("\n".join(missing), 1)
        if not pending:
            for m in met:
                common.out("%s condition met" % m)
            return 0
        if time.monotonic() >= deadline:
            common.fail("error: timed out waiting for the condition on %s" % pending[0], 1)
        time.sleep(0.2)


def display_kind(o):
    group = o.get("apiVersion", "v1").rsplit("/", 1)[0] if "/" in o.get("apiVersion", "v1") else ""
    return o["kind"].lower() + ("." + group if group else "")


def delete(words, args):
    if not words or words[0] not in ("node", "nodes", "no"):
        common.not_simulated("kubectl", args)
    code = 0
    with common.api_state() as api:
        for n in words[1:]:
            if api.get("nodes", {}).pop(n, None) is None:
                common.err('Error from server (NotFound): nodes "%s" not found' % n)
                code = 1
            else:
                common.out('node "%s" deleted' % n)
    return code


def rollout_restart(words, flags, api):
    ns = common.last(flags, "-n", "default")
    for kind, name in targets(words):
        found = [o for o in api.get("objects", []) if o["kind"] == kind and o["name"] == name
                 and o.get("namespace") == ns]
        if not found:
            common.fail('Error from server (NotFound): %ss.apps "%s" not found' % (kind.lower(), name), 1)
        common.out("%s/%s restarted" % (display_kind(found[0]), name))
    return 0


# ------------------------------------------------------------------ apply

def sources(flags, ctx):
    """(label, text) of every -f source: files, directories, stdin, known URLs."""
    out = []
    for src in flags.get("-f", []):
        if src == "-":
            out.append(("STDIN", ctx.stdin.read().decode()))
        elif re.match(r"^https?://", src):
            out.append((src, known_manifest(src)))
        elif os.path.isdir(src):
            for name in sorted(os.listdir(src)):
                if name.endswith((".yaml", ".yml", ".json")):
                    out.append((os.path.join(src, name), common.read_file(os.path.join(src, name))))
        elif os.path.exists(src):
            out.append((src, common.read_file(src)))
        else:
            common.fail('error: the path "%s" does not exist' % src, 1)
    if not out:
        common.fail("error: must specify one of -f and -k", 1)
    return out


def documents(flags, ctx):
    """(label, object) of every object in the -f sources, List kinds flattened."""
    out = []
    for label, text in sources(flags, ctx):
        try:
            docs = [d for d in yaml.safe_load_all(text) if d]
        except yaml.YAMLError as e:
            common.fail("error: error parsing %s: %s" % (label, e), 1)
        for d in docs:
            out.extend((label, i) for i in (d.get("items", []) if d.get("kind", "").endswith("List") else [d]))
    return out


def get_files(flags, api, ctx):
    """`kubectl get -f FILE`: the objects the files describe, NotFound for each one the cluster lacks."""
    objects = api.get("objects", [])
    crds = {(o.get("group"), o.get("crdKind")): o for o in objects if o["kind"] == "CustomResourceDefinition"}
    rows, errors = [], []
    for label, d in documents(flags, ctx):
        kind, version, name = d.get("kind"), d.get("apiVersion", ""), (d.get("metadata") or {}).get("name")
        group = version.rsplit("/", 1)[0] if "/" in version else ""
        if kind not in BUILTIN and (group, kind) not in crds:
            errors.append('error: resource mapping not found for name: "%s" namespace: "" from "%s": no matches for '
                          'kind "%s" in version "%s"\nensure CRDs are installed first' % (name, label, kind, version))
            continue
        found = [o for o in objects if o["kind"] == kind and o["name"] == name]
        if not found:
            plural = crds[(group, kind)]["name"] if (group, kind) in crds else kind.lower() + "s"
            errors.append('Error from server (NotFound): %s "%s" not found' % (plural, name))
            continue
        rows.append("%s/%s" % (display_kind(found[0]), name))
    if rows:
        common.out("NAME\n" + "\n".join(rows))
    if errors:
        common.fail("\n".join(errors), 1)
    return 0


def apply(flags, ctx):
    server_side = "--server-side" in flags
    api_before = common.read_api_state()
    crds = {(o.get("group"), o.get("crdKind")): o for o in api_before.get("objects", [])
            if o["kind"] == "CustomResourceDefinition"}
    namespaces = DEFAULT_NAMESPACES | {o["name"] for o in api_before.get("objects", []) if o["kind"] == "Namespace"}
    applied = []
    errors = []
    for label, d in documents(flags, ctx):
        missing = [f for f in ("apiVersion", "kind") if not d.get(f)]
        if missing or not (d.get("metadata") or {}).get("name"):
            common.fail('error: error validating "%s": error validating data: [%s]; if you choose to ignore these '
                        'errors, turn validation off with --validate=false'
                        % (label, ", ".join(f + " not set" for f in missing) or "metadata.name not set"), 1)
        kind, version = d["kind"], d["apiVersion"]
        group = version.rsplit("/", 1)[0] if "/" in version else ""
        if kind in BUILTIN:
            namespaced = BUILTIN[kind][1]
        elif (group, kind) in crds:
            namespaced = crds[(group, kind)].get("scope", "Namespaced") == "Namespaced"
        else:
            errors.append('error: resource mapping not found for name: "%s" namespace: "%s" from "%s": no matches '
                          'for kind "%s" in version "%s"\nensure CRDs are installed first'
                          % (d["metadata"]["name"], d["metadata"].get("namespace", ""), label, kind, version))
            continue
        ns = (d["metadata"].get("namespace") or common.last(flags, "-n") or "default") if namespaced else None
        if namespaced and ns not in namespaces:
            errors.append('Error from server (NotFound): error when creating "%s": namespaces "%s" not found'
                          % (label, ns))
            continue
        obj = {"kind": kind, "apiVersion": version, "name": d["metadata"]["name"], "namespace": ns, "source": label}
        if kind == "CustomResourceDefinition":
            spec = d.get("spec", {})
            obj.update(group=spec.get("group"), crdKind=spec.get("names", {}).get("kind"),
                       scope=spec.get("scope", "Namespaced"))
        if kind == "Namespace":
            namespaces.add(obj["name"])
        applied.append(obj)
    with common.api_state() as api:
        objects = api.setdefault("objects", [])
        for obj in applied:
            same = [o for o in objects if (o["kind"], o.get("namespace"), o["name"]) ==
                    (obj["kind"], obj["namespace"], obj["name"])]
            for o in same:
                objects.remove(o)
            objects.append(obj)
            verb = "serverside-applied" if server_side else ("configured" if same else "created")
            common.out("%s/%s %s" % (display_kind(obj), obj["name"], verb))
    if errors:
        common.fail("\n".join(errors), 1)
    return 0


def crd(group, kind, plural, scope="Namespaced"):
    return {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "%s.%s" % (plural, group)},
            "spec": {"group": group, "names": {"kind": kind, "plural": plural}, "scope": scope}}


def obj(kind, name, namespace=None, version=None):
    meta = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": version or BUILTIN[kind][0], "kind": kind, "metadata": meta}


TIGERA_CRDS = [crd("operator.tigera.io", "Installation", "installations", "Cluster"),
               crd("operator.tigera.io", "APIServer", "apiservers", "Cluster"),
               crd("operator.tigera.io", "TigeraStatus", "tigerastatuses", "Cluster"),
               crd("operator.tigera.io", "ImageSet", "imagesets", "Cluster"),
               crd("crd.projectcalico.org", "IPPool", "ippools", "Cluster"),
               crd("crd.projectcalico.org", "FelixConfiguration", "felixconfigurations", "Cluster")]


def known_manifest(url):
    """The upstream CNI manifests by shape (their objects, not their full content); other URLs fail."""
    calico = re.match(r"^https://raw\.githubusercontent\.com/projectcalico/calico/v[\d.]+/manifests/"
                      r"(tigera-operator|operator-crds|calico)\.yaml$", url)
    flannel = re.match(r"^https://github\.com/flannel-io/flannel/releases/(latest/download|download/v[\d.]+)/"
                       r"kube-flannel\.yml$", url)
    if calico and calico.group(1) == "operator-crds":
        docs = TIGERA_CRDS
    elif calico and calico.group(1) == "tigera-operator":
        docs = [obj("Namespace", "tigera-operator")] + TIGERA_CRDS + [
            obj("ServiceAccount", "tigera-operator", "tigera-operator"), obj("ClusterRole", "tigera-operator"),
            obj("ClusterRoleBinding", "tigera-operator"), obj("Deployment", "tigera-operator", "tigera-operator")]
    elif calico:
        docs = TIGERA_CRDS[4:] + [obj("ServiceAccount", "calico-node", "kube-system"),
                                  obj("DaemonSet", "calico-node", "kube-system"),
                                  obj("Deployment", "calico-kube-controllers", "kube-system")]
    elif flannel:
        docs = [obj("Namespace", "kube-flannel"), obj("ServiceAccount", "flannel", "kube-flannel"),
                obj("ClusterRole", "flannel"), obj("ClusterRoleBinding", "flannel"),
                obj("ConfigMap", "kube-flannel-cfg", "kube-flannel"), obj("DaemonSet", "kube-flannel-ds", "kube-flannel")]
    else:
        host = re.sub(r"^https?://([^/]+).*$", r"\1", url)
        common.fail('error: unable to read URL "%s", server reported : Get "%s": dial tcp: lookup %s: no such host'
                    % (url, url, host), 1)
    return yaml.safe_dump_all(docs)
