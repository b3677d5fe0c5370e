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

from . import common, pki, workloads
from .workloads import network_ready, node_ready  # noqa: F401 (kept importable from here)

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
DEFAULT_NAMESPACES = workloads.DEFAULT_NAMESPACES
RESOURCE_KINDS = {"node": "Node", "nodes": "Node", "no": "Node", "crd": "CustomResourceDefinition",
                  "crds": "CustomResourceDefinition", "customresourcedefinition": "CustomResourceDefinition",
                  "customresourcedefinitions": "CustomResourceDefinition", "ds": "DaemonSet", "daemonset": "DaemonSet",
                  "daemonsets": "DaemonSet", "deploy": "Deployment", "deployment": "Deployment",
                  "deployments": "Deployment", "ns": "Namespace", "namespace": "Namespace", "namespaces": "Namespace",
                  "cm": "ConfigMap", "configmap": "ConfigMap", "configmaps": "ConfigMap",
                  "po": "Pod", "pod": "Pod", "pods": "Pod", "pdb": "PodDisruptionBudget", "pdbs": "PodDisruptionBudget",
                  "poddisruptionbudget": "PodDisruptionBudget", "poddisruptionbudgets": "PodDisruptionBudget"}
# kind: (resource as the API names it in errors, "group/version, Resource=..." for selector errors)
RESOURCES = {"Node": ("nodes", "/v1, Resource=nodes"), "Pod": ("pods", "/v1, Resource=pods"),
             "PodDisruptionBudget": ("poddisruptionbudgets.policy", "policy/v1, Resource=poddisruptionbudgets")}
FIELDS = {"Node": {"metadata.name", "spec.unschedulable"},
          "Pod": {"metadata.name", "metadata.namespace", "spec.nodeName", "status.phase"}}
BOOL_FLAGS_WITH_NO_VALUE = {"--all", "-A", "--all-namespaces", "--server-side", "--force-conflicts", "--client",
                            "--overwrite", "--wait"}


def kubectl(args, ctx):
    flags, words = common.parse_flags(args, {"--kubeconfig", "-n", "--for", "--timeout", "-f", "-o", "--context",
                                             "--field-manager", "--server", "-l", "--request-timeout",
                                             "--field-selector", "--grace-period", "--pod-selector", "--chunk-size",
                                             "--skip-wait-for-delete-timeout"},
                                      {"--namespace": "-n", "--output": "-o", "--filename": "-f", "--selector": "-l"})
    if not words:
        common.not_simulated("kubectl", args)
    verb = words[0]
    if verb == "version" and "--client" in flags:
        common.out("Client Version: v%s\nKustomize Version: v5.7.1" % client_version())
        return 0
    if verb not in ("version", "get", "wait", "apply", "delete", "cluster-info", "rollout", "cordon", "uncordon",
                    "drain"):
        common.not_simulated("kubectl", args)
    if verb in ("cordon", "uncordon", "drain"):
        check_flags(verb, flags)
    api = connect(flags)
    ctx.work()
    if verb == "version":
        server = api.get("kubernetesVersion")
        if common.last(flags, "-o") == "json":
            common.out(json.dumps({"clientVersion": {"major": "1", "gitVersion": "v%s" % client_version()},
                                   "kustomizeVersion": "v5.7.1",
                                   "serverVersion": {"major": "1", "gitVersion": server}}, indent=2))
            return 0
        common.out("Client Version: v%s\nKustomize Version: v5.7.1\nServer Version: %s"
                   % (client_version(), server))
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
    if verb in ("cordon", "uncordon"):
        return cordon(verb, words[1:], flags)
    if verb == "drain":
        return drain(words[1:], flags)
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


def selector(text, fields, kind):
    """[(key, op, value)] of a label or field selector ("a=b,c!=d", labels also "key" and "!key")."""
    out = []
    for part in [p.strip() for p in (text or "").split(",") if p.strip()]:
        m = re.fullmatch(r"(!?)([A-Za-z0-9._/-]+)\s*(?:(==|=|!=)\s*(.*))?", part)
        if not m or (fields and not m.group(3)) or (m.group(1) and m.group(3)):
            common.fail('error: unable to parse requirement: found \'%s\', expected: \'=\', \'!=\', \'==\' or \'in\', '
                        '\'notin\'' % part, 1)
        op = "!" if m.group(1) else (m.group(3) or "exists")
        out.append((m.group(2), "=" if op == "==" else op, (m.group(4) or "").strip()))
        if fields and m.group(2) not in FIELDS.get(kind, {"metadata.name", "metadata.namespace"}):
            common.fail('Error from server (BadRequest): Unable to find "%s" that match label selector "", field '
                        'selector "%s": field label not supported: %s'
                        % (RESOURCES.get(kind, (None, "/v1, Resource=%ss" % kind.lower()))[1], text, m.group(2)), 1)
    return out


def matches(requirements, values, exists=None):
    for key, op, value in requirements:
        have = values.get(key)
        if op == "exists" and (have is None if exists is None else key not in exists):
            return False
        if op == "!" and have is not None:
            return False
        if op == "=" and have != value:
            return False
        if op == "!=" and have == value:
            return False
    return True


def field_values(kind, o):
    if kind == "Pod":
        return {"metadata.name": o["name"], "metadata.namespace": o["namespace"], "spec.nodeName": o.get("node") or "",
                "status.phase": o.get("phase", "Running") if o.get("node") else "Pending"}
    if kind == "Node":
        return {"metadata.name": o["name"], "spec.unschedulable": "true" if o.get("unschedulable") else "false"}
    return {"metadata.name": o["name"], "metadata.namespace": o.get("namespace") or ""}


def namespaced(kind):
    return BUILTIN.get(kind, ("", True))[1]


def listing(api, kind):
    """Every object of a kind, as (name, namespace, record) with the record the JSON is made from."""
    if kind == "Node":
        return [dict(e, name=n) for n, e in sorted(api.get("nodes", {}).items())]
    if kind == "Pod":
        return workloads.all_pods(api)
    if kind == "PodDisruptionBudget":
        return workloads.pdbs(api)
    return [o for o in api.get("objects", []) if o["kind"] == kind]


def as_json(api, kind, o):
    if kind == "Node":
        return workloads.node_json(api, o["name"])
    if kind == "Pod":
        return workloads.pod_json(api, o)
    if kind == "PodDisruptionBudget":
        return workloads.pdb_json(api, o)
    meta = {"name": o["name"]}
    if o.get("namespace"):
        meta["namespace"] = o["namespace"]
    return {"apiVersion": o.get("apiVersion") or BUILTIN.get(kind, ("v1",))[0], "kind": kind, "metadata": meta}


def not_found(kind, name):
    resource = RESOURCES.get(kind, ("%ss" % kind.lower(),))[0]
    return 'Error from server (NotFound): %s "%s" not found' % (resource, name)


def table(rows):
    """kubectl's columns: each as wide as its widest cell, three spaces apart."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        common.out("   ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


def get(words, flags, api):
    wanted = targets(words)
    everywhere = "--all-namespaces" in flags or "-A" in flags
    ns = common.last(flags, "-n") or "default"
    code = 0
    rows = []
    for kind, name in wanted:
        fields = selector(common.last(flags, "--field-selector"), True, kind)
        labels = selector(common.last(flags, "-l"), False, kind)
        objs = [o for o in listing(api, kind) if (everywhere or not namespaced(kind) or kind == "Node"
                                                  or (o.get("namespace") or "default") == ns)]
        if name is not None:
            found = [o for o in objs if o["name"] == name]
            if not found:
                common.err(not_found(kind, name))
                code = 1
            objs = found
        labelled = [workloads.node_labels(o["name"], o) if kind == "Node" else (o.get("labels") or {}) for o in objs]
        rows.extend((kind, o) for o, lv in zip(objs, labelled)
                    if matches(fields, field_values(kind, o)) and matches(labels, lv, lv))
    fmt = common.last(flags, "-o")
    single = len(wanted) == 1 and wanted[0][1] is not None
    if fmt == "name":
        for kind, o in rows:
            common.out("%s/%s" % (display_kind({"kind": kind, "apiVersion": BUILTIN.get(kind, ("v1",))[0]})
                                  if kind != "Node" else "node", o["name"]))
    elif fmt == "json":
        if single and len(rows) == 1:
            common.out(json.dumps(as_json(api, rows[0][0], rows[0][1]), indent=4))
        elif rows or not code:
            common.out(json.dumps({"apiVersion": "v1", "items": [as_json(api, k, o) for k, o in rows], "kind": "List",
                                   "metadata": {"resourceVersion": ""}}, indent=4))
    elif fmt not in (None, "wide"):
        common.not_simulated("kubectl", ["get", "-o", fmt])
    elif rows and all(k == "Node" for k, _ in rows):
        out = [("NAME", "STATUS", "ROLES", "AGE", "VERSION")]
        for _, n in rows:
            status = "Ready" if node_ready(api, n["name"]) else "NotReady"
            if n.get("unschedulable"):
                status += ",SchedulingDisabled"
            out.append((n["name"], status, ",".join(n["roles"]) or "<none>", age(n["joinedNs"]), n["kubeletVersion"]))
        table(out)
    elif rows and all(k == "Pod" for k, _ in rows):
        out = [(("NAMESPACE",) if everywhere else ()) + ("NAME", "READY", "STATUS", "RESTARTS", "AGE")]
        for _, p in rows:
            healthy = workloads.pod_healthy(api, p)
            out.append(((p["namespace"],) if everywhere else ()) + (
                p["name"], "1/1" if healthy else "0/1",
                (p.get("phase", "Running") if p.get("node") else "Pending"), "0", age(p.get("createdNs") or 0)))
        table(out)
    elif rows and all(k == "PodDisruptionBudget" for k, _ in rows):
        out = [(("NAMESPACE",) if everywhere else ()) + ("NAME", "MIN AVAILABLE", "MAX UNAVAILABLE",
                                                          "ALLOWED DISRUPTIONS", "AGE")]
        for _, b in rows:
            spec = b.get("spec") or {}
            out.append(((b["namespace"],) if everywhere else ()) + (
                b["name"], str(spec.get("minAvailable", "N/A")), str(spec.get("maxUnavailable", "N/A")),
                str(workloads.pdb_status(api, b)["disruptionsAllowed"]), age(b.get("createdNs") or 0)))
        table(out)
    elif rows:
        common.out("NAME")
        for kind, o in rows:
            common.out("%s/%s" % (display_kind(o) if kind != "Node" else "node", o["name"]))
    elif code == 0:
        scoped = [k for k, _ in wanted if namespaced(k) and k != "Node"]
        common.err("No resources found in %s namespace." % ns if scoped and not everywhere else "No resources found")
    return code


def duration(text, verb="wait"):
    """A Go duration flag (300s, 5m, 1h30m; "0" alone needs no unit), in seconds."""
    text = "0s" if text is None else text
    if text == "0":
        return 0
    parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        reason = 'missing unit in duration "%s"' % text if re.fullmatch(r"\d+(\.\d+)?", text) \
            else 'invalid duration "%s"' % text
        common.fail('error: invalid argument "%s" for "--timeout" flag: time: %s\nSee \'kubectl %s --help\' for usage.'
                    % (text, reason, verb), 1)
    scale = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
    return sum(float(n) * scale[u] for n, u in parts)


def go_duration(seconds):
    """How Go prints a time.Duration: 5m0s, 30s, 1h0m0s, 500ms."""
    if seconds == 0:
        return "0s"
    if seconds < 1:
        return "%gms" % (seconds * 1000)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    text = "%gs" % s
    if h or m:
        text = "%dm" % m + text
    if h:
        text = "%dh" % h + text
    return text


def wait(words, flags):
    condition = common.last(flags, "--for", "")
    if not condition.startswith("condition="):
        common.not_simulated("kubectl", ["wait", "--for=" + condition])
    cond = condition.split("=", 1)[1].split("=")[0]
    cap = common.config().get("maxWaitSeconds", 600)
    deadline = time.monotonic() + min(duration(common.last(flags, "--timeout") or "30s"), cap)
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
    names = [w.split("/", 1)[1] for w in words if w.split("/", 1)[0] in ("node", "nodes", "no") and "/" in w]
    if words and words[0] in ("node", "nodes", "no"):
        names = words[1:]
    if not names or len(names) != len([w for w in words if w not in ("node", "nodes", "no")]):
        common.not_simulated("kubectl", args)
    code = 0
    with common.api_state() as api:
        for n in names:
            if api.get("nodes", {}).pop(n, None) is None:
                common.err('Error from server (NotFound): nodes "%s" not found' % n)
                code = 1
            else:
                workloads.node_deleted(api, n)
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


# ------------------------------------------------------------------ cordon, uncordon, drain

COMMON_FLAGS = {"--kubeconfig", "--context", "--server", "--request-timeout", "-v", "--v"}
NODE_FLAGS = {"cordon": {"--dry-run", "-l"}, "uncordon": {"--dry-run", "-l"},
              "drain": {"--dry-run", "-l", "--ignore-daemonsets", "--delete-emptydir-data", "--delete-local-data",
                        "--force", "--disable-eviction", "--ignore-errors", "--timeout", "--grace-period",
                        "--pod-selector", "--skip-wait-for-delete-timeout", "--chunk-size"}}


def check_flags(verb, flags):
    for f in flags:
        if f not in COMMON_FLAGS | NODE_FLAGS[verb]:
            common.fail("error: unknown flag: %s\nSee 'kubectl %s --help' for usage." % (f, verb), 1)
    for f in flags:
        value = common.last(flags, f)
        if f.startswith("--") and f in NODE_FLAGS[verb] and value is not True and f not in (
                "--dry-run", "--timeout", "--grace-period", "--pod-selector", "--skip-wait-for-delete-timeout",
                "--chunk-size", "-l") and value not in ("true", "false"):
            common.fail('error: invalid argument "%s" for "%s" flag: strconv.ParseBool: parsing "%s": invalid syntax\n'
                        "See 'kubectl %s --help' for usage." % (value, f, value, verb), 1)
    if common.last(flags, "-l") is not None:
        common.not_simulated("kubectl", [verb, "--selector"])


def flag_on(flags, name):
    return common.last(flags, name) in (True, "true")


def dry_run(flags):
    """None (really do it), "client" or "server", as --dry-run says."""
    value = common.last(flags, "--dry-run")
    if value is None or value == "none":
        return None
    if value is True:
        common.fail('error: Invalid dry-run value (unchanged). Must be "none", "server", or "client".', 1)
    if value not in ("client", "server"):
        common.fail('error: Invalid dry-run value (%s). Must be "none", "server", or "client".' % value, 1)
    return value


def dry_suffix(dry):
    return {None: "", "client": " (dry run)", "server": " (server dry run)"}[dry]


def node_names(verb, words):
    names = [w.split("/", 1)[1] if w.startswith(("node/", "nodes/", "no/")) else w for w in words]
    if not names:
        common.fail("error: USAGE: %s NODE [flags]\nSee 'kubectl %s -h' for help and examples" % (verb, verb), 1)
    return names


def set_unschedulable(names, desired, dry):
    """Cordons or uncordons like kubectl's cordon helper, printing each node's outcome; NotFound first."""
    changed = "cordoned" if desired else "uncordoned"
    with common.api_state() as api:
        nodes = api.get("nodes", {})
        for n in names:
            if n not in nodes:
                common.fail(not_found("Node", n), 1)
        for n in names:
            entry = nodes[n]
            if bool(entry.get("unschedulable")) == desired:
                common.out("node/%s already %s%s" % (n, changed, dry_suffix(dry)))
                continue
            if dry is None:
                if desired:
                    entry.update(unschedulable=True, cordonedNs=time.time_ns())
                else:
                    entry.pop("unschedulable", None)
                    entry.pop("cordonedNs", None)
                entry["resourceVersion"] = entry.get("resourceVersion", 1) + 1
            common.out("node/%s %s%s" % (n, changed, dry_suffix(dry)))


def cordon(verb, words, flags):
    set_unschedulable(node_names(verb, words), verb == "cordon", dry_run(flags))
    return 0


DS_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DS_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"


def drain_filter(pod, opts):
    """kubectl's pod filters in their order: (delete, "okay"|"skip"|"warning"|"error", message); as in
    kubectl only the last filter's verdict is kept (so a local-storage warning never shows)."""
    owner = pod.get("owner") or {}
    finished = pod.get("phase") in ("Succeeded", "Failed")
    if owner.get("kind") == "DaemonSet" and not finished:
        return (False, "warning", DS_WARNING) if opts["ignore-daemonsets"] else (False, "error", DS_FATAL)
    if pod.get("mirror"):
        return False, "skip", None
    if pod.get("emptyDir") and not finished and not opts["delete-emptydir-data"]:
        return False, "error", LOCAL_FATAL
    if finished or owner:
        return True, "okay", None
    return (True, "warning", UNMANAGED_WARNING) if opts["force"] else (False, "error", UNMANAGED_FATAL)


def pods_for_deletion(api, node, opts):
    """(pods to delete, warnings, errors) as drain.Helper.GetPodsForDeletion gives them."""
    delete, warned, failed = [], {}, {}
    for p in [p for p in workloads.all_pods(api) if p.get("node") == node]:
        ok, kind, message = drain_filter(p, opts)
        if ok:
            delete.append(p)
        if kind == "warning":
            warned.setdefault(message, []).append("%s/%s" % (p["namespace"], p["name"]))
        elif kind == "error":
            failed.setdefault(message, []).append("%s/%s" % (p["namespace"], p["name"]))
    errors = [("%s: %s" if m.lower().startswith("cannot delete") else "cannot delete %s: %s") % (m, ", ".join(ps))
              for m, ps in failed.items()]
    warnings = "; ".join("%s: %s" % (m, ", ".join(ps)) for m, ps in warned.items())
    return delete, warnings, errors


def aggregate(messages):
    """utilerrors.Aggregate's Error(): one message as it is, several in brackets."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[%s]" % ", ".join(unique)


def evict_all(node, pods, opts, dry, timeout):
    """drain.Helper.evictPods (or deletePods): returns the errors, [] when every pod went."""
    verb_done = "deleted" if opts["disable-eviction"] else "evicted"
    pending = [(p["namespace"], p["name"]) for p in pods]
    errors = []
    started = time.monotonic()
    cap = common.config().get("maxWaitSeconds", 600)
    while pending:
        blocked, gone = [], []
        with common.api_state() as api:
            current = {(p["namespace"], p["name"]): p for p in workloads.all_pods(api)}
            for ns, name in pending:
                if not opts["disable-eviction"]:
                    common.out("evicting pod %s/%s%s" % (ns, name, dry_suffix(dry)))
                pod = current.get((ns, name))
                if pod is None:
                    continue
                refusal = None if opts["disable-eviction"] else workloads.eviction_refusal(api, pod)
                if refusal is None:
                    if dry is None:
                        workloads.remove_pod(api, pod)
                        gone.append(name)
                elif refusal.startswith("Cannot evict"):
                    common.err('error when evicting pods/"%s" -n "%s" (will retry after 5s): %s' % (name, ns, refusal))
                    blocked.append((ns, name))
                else:
                    errors.append('error when evicting pods/"%s" -n "%s": %s' % (name, ns, refusal))
        for name in gone:
            common.out("pod/%s %s" % (name, verb_done))
        pending = blocked
        if not pending:
            break
        if timeout:
            # Nothing in the simulated cluster changes by itself: the real kubectl would retry until the
            # timeout and then give this; the stand-in gives it at once.
            errors.extend('error when evicting pods/"%s" -n "%s": global timeout reached: %s' % (name, ns,
                                                                                               go_duration(timeout))
                          for ns, name in pending)
            break
        waited = time.monotonic() - started
        if waited >= cap:
            common.fail("kw-sim: kubectl drain without --timeout retries a refused eviction every 5s forever (the real"
                        " kubectl never exits); stopped after %ds" % waited, 75)
        time.sleep(min(5, cap - waited))
    return errors


def drain_node(node, opts, dry, timeout):
    """One node's deleteOrEvictPodsSimple: the error messages, or None when it is drained."""
    pods, warnings, errors = pods_for_deletion(common.read_api_state(), node, opts)
    if errors:
        return errors
    if warnings:
        common.err("Warning: " + warnings)
    if dry == "client":
        for p in pods:
            common.out("evicting pod %s/%s (dry run)" % (p["namespace"], p["name"]))
        return None
    errors = evict_all(node, pods, opts, dry, timeout)
    if not errors:
        return None
    left, _, again = pods_for_deletion(common.read_api_state(), node, opts)
    if left:
        common.err('There are pending pods in node "%s" when an error occurred: %s' % (node, aggregate(errors)))
        for p in left:
            common.err("pod/" + p["name"])
    if again:
        common.err("Following errors occurred while getting the list of pods to delete:\n" + aggregate(again))
    return errors


def drain(words, flags):
    names = node_names("drain", words)
    dry = dry_run(flags)
    timeout = duration(common.last(flags, "--timeout"), "drain")
    opts = {k: flag_on(flags, "--" + k) for k in ("ignore-daemonsets", "delete-emptydir-data", "force",
                                                     "disable-eviction", "ignore-errors")}
    if "--delete-local-data" in flags:
        common.err("Flag --delete-local-data has been deprecated, This option is deprecated and will be deleted. "
                   "Use --delete-emptydir-data.")
        opts["delete-emptydir-data"] = opts["delete-emptydir-data"] or flag_on(flags, "--delete-local-data")
    set_unschedulable(names, True, dry)
    fatal, remaining = [], []
    for n in names:
        errors = drain_node(n, opts, dry, timeout)
        if errors is None:
            common.out("node/%s drained%s" % (n, dry_suffix(dry)))
            continue
        common.err('error: unable to drain node "%s" due to error: %s, continuing command...' % (n, aggregate(errors)))
        fatal.append(errors)
        remaining.append(n)
    if remaining:
        common.err("There are pending nodes to be drained:\n" + "\n".join(" " + n for n in remaining))
    if fatal:
        # cmdutil.CheckErr: an aggregate of one is unwrapped, an aggregate printed one error a line, unprefixed.
        common.fail("\n".join(fatal[0] if len(fatal) == 1 else [aggregate(f) for f in fatal]), 1)
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
        if kind == "PodDisruptionBudget":
            obj.update(spec=d.get("spec") or {}, createdNs=time.time_ns())
        if kind in ("RoleBinding", "ClusterRoleBinding"):
            obj.update(roleRef=d.get("roleRef") or {}, subjects=d.get("subjects") or [])
        if kind == "Pod":
            spec, meta = d.get("spec") or {}, d["metadata"]
            owner = next((r for r in meta.get("ownerReferences") or [] if r.get("controller")), None)
            obj.update(node=spec.get("nodeName"), labels=meta.get("labels") or {}, createdNs=time.time_ns(),
                       owner={"kind": owner["kind"], "name": owner["name"]} if owner else None,
                       emptyDir=any("emptyDir" in v for v in spec.get("volumes") or []),
                       phase="Running" if spec.get("nodeName") else "Pending")
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
