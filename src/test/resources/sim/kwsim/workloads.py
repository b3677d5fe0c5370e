"""Nodes, pods and PodDisruptionBudgets of the simulated API server (api.json), as kubectl shows
them, and what the controllers behind them do.

Pods: the test's workload pods (SimCluster.addPod, or `kubectl apply` of a Pod) are kept in
api.json; a DaemonSet's pods (one per Node, for every DaemonSet object: kube-proxy, the CNI's)
and the control planes' mirror pods (kube-apiserver-NODE, ...) are derived from the Nodes and
objects. A pod whose controller is a ReplicaSet, StatefulSet or Job is recreated when it is
evicted or its Node is deleted, on the schedulable Node with the fewest pods (untainted, Ready,
not cordoned), else Pending with no node. PodDisruptionBudget status is what the disruption
controller computes: expectedPods the matching pods, currentHealthy the Ready ones,
desiredHealthy from minAvailable (or expected minus maxUnavailable), disruptionsAllowed
currentHealthy - desiredHealthy floored at 0."""
import datetime
import hashlib
import math
import socket
import time
import uuid

from . import common

DEFAULT_NAMESPACES = {"default", "kube-system", "kube-public", "kube-node-lease"}
MIRROR = "kubernetes.io/config.mirror"
CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
# The random suffixes Kubernetes gives generated names are drawn from these (no vowels).
ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
OWNER_API = {"ReplicaSet": "apps/v1", "DaemonSet": "apps/v1", "StatefulSet": "apps/v1", "Job": "batch/v1",
             "Node": "v1"}
RECREATED_BY = {"ReplicaSet", "StatefulSet", "Job"}
STATIC_PODS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]
DS_LABELS = {"kube-proxy": {"k8s-app": "kube-proxy"}, "kube-flannel-ds": {"app": "flannel", "tier": "node"},
             "calico-node": {"k8s-app": "calico-node"}}
PAUSE = "registry.k8s.io/pause:3.10.1"


def suffix(seed, n=5):
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:n])


def uid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "kw-sim/" + "/".join(str(p) for p in parts)))


def timestamp(ns):
    return datetime.datetime.fromtimestamp((ns or 0) / 1e9, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def owner_name(pod_name):
    """web-7d4b9-x2x7q is its ReplicaSet's web-7d4b9: a pod's name is its controller's and a suffix."""
    return pod_name.rsplit("-", 1)[0] if "-" in pod_name else pod_name


# ------------------------------------------------------------------ nodes

def network_ready(api):
    objects = api.get("objects", [])
    if any(o["kind"] == "DaemonSet" and o["name"] != "kube-proxy" for o in objects):
        return True
    return any(o["kind"] == "Installation" for o in objects) and \
        any(o["kind"] == "Deployment" and o["name"] == "tigera-operator" for o in objects)


def kubelet_up(api, name):
    return api.get("nodes", {}).get(name, {}).get("kubeletUp", True)


def node_ready(api, name):
    return name in api.get("nodes", {}) and kubelet_up(api, name) and network_ready(api)


def registered_taints(entry):
    """The taints kubeadm registered the Node with (nodeRegistration.taints, else its defaults)."""
    if "taints" in entry:
        return [dict(t) for t in entry["taints"] or []]
    return [dict(CONTROL_PLANE_TAINT)] if "control-plane" in entry.get("roles", []) else []


def taints(api, name):
    """What the Node carries: its registered taints and those the node controllers add."""
    entry = api["nodes"][name]
    out = registered_taints(entry)
    if entry.get("unschedulable"):
        out.append({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule",
                    "timeAdded": timestamp(entry.get("cordonedNs"))})
    if not kubelet_up(api, name):
        out.append({"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule",
                    "timeAdded": timestamp(entry.get("kubeletDownNs"))})
        out.append({"key": "node.kubernetes.io/unreachable", "effect": "NoExecute",
                    "timeAdded": timestamp(entry.get("kubeletDownNs"))})
    elif not network_ready(api):
        out.append({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"})
    return out


def node_labels(name, entry):
    labels = {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
              "kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    if "control-plane" in entry.get("roles", []):
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    labels.update(entry.get("labels") or {})
    return labels


def node_conditions(api, name):
    entry = api["nodes"][name]
    since = timestamp(entry.get("joinedNs"))
    if not kubelet_up(api, name):
        down = timestamp(entry.get("kubeletDownNs"))
        return [{"type": t, "status": "Unknown", "reason": "NodeStatusUnknown", "message": "Kubelet stopped posting "
                 "node status.", "lastHeartbeatTime": down, "lastTransitionTime": down}
                for t in ("MemoryPressure", "DiskPressure", "PIDPressure", "Ready")]
    out = [{"type": t, "status": "False", "reason": r, "message": m, "lastHeartbeatTime": since,
            "lastTransitionTime": since}
           for t, r, m in (("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                           ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                           ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"))]
    if network_ready(api):
        out.append({"type": "Ready", "status": "True", "reason": "KubeletReady",
                    "message": "kubelet is posting ready status", "lastHeartbeatTime": since,
                    "lastTransitionTime": since})
    else:
        out.append({"type": "Ready", "status": "False", "reason": "KubeletNotReady",
                    "message": "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
                               "message:Network plugin returns error: cni plugin not initialized",
                    "lastHeartbeatTime": since, "lastTransitionTime": since})
    return out


def node_json(api, name):
    entry = api["nodes"][name]
    spec = {}
    node_taints = taints(api, name)
    if node_taints:
        spec["taints"] = node_taints
    if entry.get("unschedulable"):
        spec["unschedulable"] = True
    info = {"architecture": "amd64", "bootID": uid("boot", entry.get("host"), entry.get("joinedNs")),
            "containerRuntimeVersion": entry.get("containerRuntimeVersion", ""),
            "kernelVersion": entry.get("kernelVersion", ""), "kubeletVersion": entry.get("kubeletVersion", ""),
            "machineID": entry.get("machineID", ""), "operatingSystem": "linux", "osImage": entry.get("osImage", ""),
            "systemUUID": entry.get("systemUUID", "")}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"annotations": {"kubeadm.alpha.kubernetes.io/cri-socket": entry.get("criSocket", ""),
                                     "node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
                     "creationTimestamp": timestamp(entry.get("joinedNs")), "labels": node_labels(name, entry),
                     "name": name, "resourceVersion": str(entry.get("resourceVersion", 1)),
                     "uid": uid("node", name, entry.get("joinedNs"))},
        "spec": spec,
        "status": {"addresses": [{"address": entry.get("address", ""), "type": "InternalIP"},
                                 {"address": name, "type": "Hostname"}],
                   "conditions": node_conditions(api, name),
                   "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}}, "nodeInfo": info},
    }


def schedulable(api, name):
    entry = api["nodes"][name]
    return not entry.get("unschedulable") and node_ready(api, name) and \
        not any(t.get("effect") in ("NoSchedule", "NoExecute") for t in taints(api, name))


def report_kubelet(host, up, version):
    """The Nodes this host's kubelet registered: Ready again (and its version) when it runs, not
    reporting (Ready Unknown, unreachable taints) when it stopped."""
    if not any(e.get("host") == host for e in common.read_api_state().get("nodes", {}).values()):
        return
    with common.api_state() as api:
        for entry in api.get("nodes", {}).values():
            if entry.get("host") != host:
                continue
            if up:
                entry["kubeletUp"] = True
                entry.pop("kubeletDownNs", None)
                if version:
                    entry["kubeletVersion"] = "v" + version
            elif entry.get("kubeletUp", True):
                entry.update(kubeletUp=False, kubeletDownNs=time.time_ns())


# ------------------------------------------------------------------ pods

def stored_pods(api):
    return [o for o in api.get("objects", []) if o["kind"] == "Pod"]


def derived_pods(api):
    """DaemonSet pods on every Node and the control planes' mirror pods."""
    out = []
    nodes = sorted(api.get("nodes", {}))
    for ds in (o for o in api.get("objects", []) if o["kind"] == "DaemonSet"):
        for n in nodes:
            name = "%s-%s" % (ds["name"], suffix(ds["name"] + "/" + n))
            out.append({"kind": "Pod", "namespace": ds.get("namespace") or "default", "name": name, "node": n,
                        "labels": dict(DS_LABELS.get(ds["name"], {"k8s-app": ds["name"]})),
                        "owner": {"kind": "DaemonSet", "name": ds["name"]}, "phase": "Running",
                        "createdNs": api["nodes"][n].get("joinedNs"), "derived": True})
    static = STATIC_PODS + (["etcd"] if api.get("stackedEtcd") else [])
    for n in api.get("controlPlanes", []):
        if n not in api.get("nodes", {}):
            continue
        published = api.get("staticPods", {}).get(api["nodes"][n].get("host"))
        if published is None:
            published = {c: {"name": c, "labels": {"component": c, "tier": "control-plane"}} for c in static}
        for component, p in sorted(published.items()):
            labels = p.get("labels") or {}
            if labels.get("tier") != "control-plane":
                continue
            pod = {"kind": "Pod", "namespace": "kube-system", "name": "%s-%s" % (component, n), "node": n,
                   "labels": dict(labels), "owner": {"kind": "Node", "name": n}, "phase": "Running", "mirror": True,
                   "createdNs": p.get("startedNs") or api["nodes"][n].get("joinedNs"), "derived": True}
            if p.get("image"):
                pod["image"] = p["image"]
            if p.get("probe"):
                pod["probe"] = p["probe"]
            out.append(pod)
    return out


def all_pods(api):
    return sorted(stored_pods(api) + derived_pods(api), key=lambda p: (p["namespace"], p["name"]))


def pod_healthy(api, pod):
    """Ready: running on a Node whose kubelet reports and whose network is up; a mirror pod of a
    real process (etcd) also only while that process answers on its client port."""
    return pod.get("phase", "Running") == "Running" and pod.get("node") is not None and \
        node_ready(api, pod["node"]) and (not pod.get("probe") or answers(pod["probe"]))


_ANSWERS = {}


def answers(hostport):
    """Whether something accepts a TCP connection there (the kubelet's probe of a static pod), once per call."""
    if hostport not in _ANSWERS:
        host, _, port = hostport.rpartition(":")
        try:
            socket.create_connection((host.strip("[]"), int(port)), timeout=1).close()
            _ANSWERS[hostport] = True
        except (OSError, ValueError):
            _ANSWERS[hostport] = False
    return _ANSWERS[hostport]


def pod_json(api, pod):
    meta = {"creationTimestamp": timestamp(pod.get("createdNs")), "labels": dict(pod.get("labels") or {}),
            "name": pod["name"], "namespace": pod["namespace"],
            "uid": pod.get("uid") or uid("pod", pod["namespace"], pod["name"], pod.get("createdNs"))}
    owner = pod.get("owner")
    if owner:
        ref = {"apiVersion": OWNER_API.get(owner["kind"], "apps/v1"), "kind": owner["kind"], "name": owner["name"],
               "uid": uid(owner["kind"], pod["namespace"], owner["name"]), "controller": True}
        if owner["kind"] != "Node":
            ref["blockOwnerDeletion"] = True
        if owner["kind"] not in ("Node", "StatefulSet"):
            meta["generateName"] = owner["name"] + "-"
        meta["ownerReferences"] = [ref]
    if pod.get("mirror"):
        meta["annotations"] = {MIRROR: hashlib.md5(pod["name"].encode()).hexdigest(),
                               "kubernetes.io/config.source": "file"}
    spec = {"containers": [{"name": (owner or {}).get("name", pod["name"]) if not pod.get("mirror")
                            else pod["labels"]["component"], "image": pod.get("image") or PAUSE}]}
    if pod.get("node"):
        spec["nodeName"] = pod["node"]
    if pod.get("emptyDir"):
        spec["volumes"] = [{"name": "data", "emptyDir": {}}]
    healthy = pod_healthy(api, pod)
    phase = pod.get("phase", "Running") if pod.get("node") else "Pending"
    status = {"phase": phase, "conditions": [{"type": "PodScheduled", "status": "True" if pod.get("node") else "False"}]}
    if pod.get("node"):
        status["conditions"].append({"type": "Ready", "status": "True" if healthy else "False"})
        status["hostIP"] = api.get("nodes", {}).get(pod["node"], {}).get("address", "")
        status["podIP"] = pod_ip(api, pod)
    else:
        status["conditions"][0].update(reason="Unschedulable", message="0/%d nodes are available"
                                       % len(api.get("nodes", {})))
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def pod_ip(api, pod):
    """A pod's IP, from its node's place among the Nodes and its name (the pod CIDR is not simulated)."""
    nodes = sorted(api.get("nodes", {}))
    i = nodes.index(pod["node"]) if pod.get("node") in nodes else 255
    return "10.244.%d.%d" % (i, 2 + int.from_bytes(hashlib.sha256(("pod/%s/%s" % (pod["namespace"], pod["name"])).encode())
                                                    .digest()[:4], "big") % 250)


def reschedule(api, pod, seed):
    """The pod's controller makes its replacement (a StatefulSet reuses the name); None for a bare pod."""
    owner = pod.get("owner")
    if not owner or owner["kind"] not in RECREATED_BY:
        return None
    name = pod["name"] if owner["kind"] == "StatefulSet" else "%s-%s" % (owner["name"], suffix(seed))
    counts = {}
    for p in all_pods(api):
        if p.get("node"):
            counts[p["node"]] = counts.get(p["node"], 0) + 1
    candidates = sorted((counts.get(n, 0), n) for n in api.get("nodes", {}) if schedulable(api, n))
    new = {k: v for k, v in pod.items() if k not in ("uid", "createdNs", "node", "phase")}
    new.update(name=name, createdNs=time.time_ns(), node=candidates[0][1] if candidates else None,
               phase="Running" if candidates else "Pending")
    api["objects"].append(new)
    return new


def remove_pod(api, pod, replace=True):
    objects = api.setdefault("objects", [])
    for o in list(objects):
        if o["kind"] == "Pod" and o["namespace"] == pod["namespace"] and o["name"] == pod["name"]:
            objects.remove(o)
    if replace:
        reschedule(api, pod, "%s/%s/%d" % (pod["namespace"], pod["name"], time.time_ns()))


def node_deleted(api, name):
    """The pod garbage collector removes the pods bound to a deleted Node; their controllers replace them."""
    for pod in [p for p in stored_pods(api) if p.get("node") == name]:
        remove_pod(api, pod)


# ------------------------------------------------------------------ PodDisruptionBudgets

def pdbs(api):
    return sorted((o for o in api.get("objects", []) if o["kind"] == "PodDisruptionBudget"),
                  key=lambda o: (o.get("namespace") or "", o["name"]))


def selects(pdb, pod):
    selector = (pdb.get("spec") or {}).get("selector") or {}
    match = selector.get("matchLabels") or {}
    labels = pod.get("labels") or {}
    return pod["namespace"] == pdb.get("namespace") and all(labels.get(k) == v for k, v in match.items())


def scaled(value, total):
    """An intOrString of a PDB: an integer, or a percentage of total rounded up."""
    if isinstance(value, str) and value.endswith("%"):
        return int(math.ceil(int(value[:-1]) * total / 100.0))
    return int(value)


def pdb_status(api, pdb):
    spec = pdb.get("spec") or {}
    matching = [p for p in all_pods(api) if selects(pdb, p)]
    expected = len(matching)
    healthy = sum(1 for p in matching if pod_healthy(api, p))
    if spec.get("maxUnavailable") is not None:
        desired = max(0, expected - scaled(spec["maxUnavailable"], expected))
    else:
        desired = scaled(spec.get("minAvailable", 1), expected)
    allowed = max(0, healthy - desired)
    return {"currentHealthy": healthy, "desiredHealthy": desired, "disruptionsAllowed": allowed,
            "expectedPods": expected}


def pdb_json(api, pdb):
    status = pdb_status(api, pdb)
    spec = pdb.get("spec") or {}
    out_spec = {k: spec[k] for k in ("minAvailable", "maxUnavailable") if spec.get(k) is not None}
    out_spec["selector"] = spec.get("selector") or {}
    when = timestamp(pdb.get("createdNs"))
    status.update(observedGeneration=1, conditions=[{
        "type": "DisruptionAllowed", "status": "True" if status["disruptionsAllowed"] > 0 else "False",
        "reason": "SufficientPods" if status["disruptionsAllowed"] > 0 else "InsufficientPods", "message": "",
        "observedGeneration": 1, "lastTransitionTime": when}])
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
            "metadata": {"creationTimestamp": when, "generation": 1, "name": pdb["name"],
                         "namespace": pdb.get("namespace"), "uid": uid("pdb", pdb.get("namespace"), pdb["name"])},
            "spec": out_spec, "status": status}


def eviction_refusal(api, pod):
    """Why the eviction subresource refuses the pod now (429 or 500 message), or None."""
    budgets = [b for b in pdbs(api) if selects(b, pod)]
    if len(budgets) > 1:
        return "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support."
    if not budgets:
        return None
    status = pdb_status(api, budgets[0])
    if not pod_healthy(api, pod) and status["currentHealthy"] >= status["desiredHealthy"]:
        return None
    if status["disruptionsAllowed"] <= 0:
        return "Cannot evict pod as it would violate the pod's disruption budget."
    return None


# ------------------------------------------------------------------ the test's writes (harness.py)

def add_pod(api, namespace, name, node, labels, owner_kind, empty_dir):
    check_namespace(api, namespace)
    if any(p["namespace"] == namespace and p["name"] == name for p in all_pods(api)):
        raise ValueError('pods "%s" already exists' % name)
    if node is not None and node not in api.get("nodes", {}):
        raise ValueError('nodes "%s" not found' % node)
    pod = {"kind": "Pod", "apiVersion": "v1", "namespace": namespace, "name": name, "node": node,
           "labels": dict(labels or {}), "owner": {"kind": owner_kind, "name": owner_name(name)} if owner_kind else None,
           "emptyDir": bool(empty_dir), "phase": "Running" if node else "Pending", "createdNs": time.time_ns()}
    api.setdefault("objects", []).append(pod)
    return pod


def add_pdb(api, namespace, name, match_labels, min_available=None, max_unavailable=None):
    check_namespace(api, namespace)
    if any(b.get("namespace") == namespace and b["name"] == name for b in pdbs(api)):
        raise ValueError('poddisruptionbudgets.policy "%s" already exists' % name)
    if (min_available is None) == (max_unavailable is None):
        raise ValueError("spec: Invalid value: minAvailable and maxUnavailable cannot be both set (set exactly one)")
    spec = {"selector": {"matchLabels": dict(match_labels or {})}}
    if min_available is not None:
        spec["minAvailable"] = min_available
    else:
        spec["maxUnavailable"] = max_unavailable
    pdb = {"kind": "PodDisruptionBudget", "apiVersion": "policy/v1", "namespace": namespace, "name": name,
           "spec": spec, "createdNs": time.time_ns()}
    api.setdefault("objects", []).append(pdb)
    return pdb


def check_namespace(api, namespace):
    if namespace not in DEFAULT_NAMESPACES and not any(
            o["kind"] == "Namespace" and o["name"] == namespace for o in api.get("objects", [])):
        raise ValueError('namespaces "%s" not found' % namespace)
