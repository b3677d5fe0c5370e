"""What `kubewizard verify` asks of the simulated API server: Services (a ClusterIP from the service
range, a NodePort from 30000-32767, both derived from the Service's name), `-o jsonpath` of one
object, Pod Security admission refusing a privileged pod in a namespace labelled
pod-security.kubernetes.io/enforce=baseline|restricted (to a server dry run too), deleting a
namespace with everything in it, and `kubectl exec` into a Running, Ready pod running the checks of
the e2e agnhost image: `nslookup NAME` and `/agnhost connect [--timeout=D] HOST:PORT`, answered
from api.json. DNS resolves the cluster's Service names (kubernetes.default, NAME.NS[.svc...]) from a
pod whose node is Ready, unless the test broke DNS on that node (control.json, action "dns-broken",
SimCluster.breakDns). A connection answers on a Ready pod's IP at a port its container declares, on a
Service's ClusterIP and port, and on a Ready node's address at a NodePort, when the Service selects a
Ready pod."""
import hashlib
import re
import sys

from . import common, workloads



def number(seed, size):
    return int.from_bytes(hashlib.sha256(seed.encode()).digest()[:4], "big") % size


def service_spec(spec, ns, name):
    out = {"type": spec.get("type", "ClusterIP"), "selector": dict(spec.get("selector") or {}),
           "clusterIP": "10.96.%d.%d" % (number("svc/%s/%s" % (ns, name), 250), 2 + number("ip/%s/%s" % (ns, name), 250))}
    ports = []
    for p in spec.get("ports") or []:
        port = {"port": p.get("port"), "targetPort": p.get("targetPort", p.get("port")), "protocol": "TCP"}
        if out["type"] == "NodePort":
            port["nodePort"] = p.get("nodePort") or 30000 + number("np/%s/%s/%s" % (ns, name, p.get("port")), 2768)
        ports.append(port)
    out["ports"] = ports
    return out


def service_json(o):
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": o["name"], "namespace": o.get("namespace")},
            "spec": o.get("spec") or {}}


def jsonpath(doc, template):
    """kubectl's -o jsonpath for one field ({.a.b[0].c}); what it prints, with no newline."""
    m = re.fullmatch(r"\{((?:\.[A-Za-z0-9_-]+(?:\[\d+\])?)+)\}", template)
    if not m:
        common.not_simulated("kubectl", ["get", "-o", "jsonpath=" + template])
    value = doc
    for part in m.group(1)[1:].split("."):
        key, _, index = part.partition("[")
        value = value.get(key) if isinstance(value, dict) else None
        if index and isinstance(value, list):
            i = int(index.rstrip("]"))
            value = value[i] if i < len(value) else None
        if value is None:
            common.fail("error: error executing jsonpath %r: Error executing template: %s is not found. Printing more "
                        "information for debugging the template:" % (template, key), 1)
    return str(value)


def namespace_level(api, ns):
    for o in api.get("objects", []):
        if o["kind"] == "Namespace" and o["name"] == ns:
            return (o.get("labels") or {}).get("pod-security.kubernetes.io/enforce")
    return None


def pod_security_refusal(api, doc, ns, label):
    """The admission error for a privileged container under enforce=baseline or restricted, else None."""
    level = namespace_level(api, ns)
    if level not in ("baseline", "restricted"):
        return None
    name = (doc.get("metadata") or {}).get("name")
    for c in (doc.get("spec") or {}).get("containers") or []:
        if ((c.get("securityContext") or {}).get("privileged")) is True:
            return ('Error from server (Forbidden): error when creating "%s": pods "%s" is forbidden: violates PodSecurity '
                    '"%s:latest": privileged (container "%s" must not set securityContext.privileged=true)'
                    % (label, name, level, c.get("name")))
    return None


def delete_namespaces(names, ignore_missing):
    if not names:
        common.fail("error: resource(s) were provided, but no name was specified", 1)
    code = 0
    with common.api_state() as api:
        objects = api.setdefault("objects", [])
        for n in names:
            found = [o for o in objects if o["kind"] == "Namespace" and o["name"] == n]
            if not found:
                if not ignore_missing:
                    common.err('Error from server (NotFound): namespaces "%s" not found' % n)
                    code = 1
                continue
            api["objects"] = objects = [o for o in objects if o.get("namespace") != n and o not in found]
            common.out('namespace "%s" deleted' % n)
    return code


def dns_broken(node):
    control = common.load_json(common.CLUSTER_DIR + "/control.json", {"rules": []})
    return any(r.get("action") == "dns-broken" and r.get("node") == node for r in control["rules"])


def services(api):
    return [o for o in api.get("objects", []) if o["kind"] == "Service"]


def selected_ready(api, svc):
    selector = (svc.get("spec") or {}).get("selector") or {}
    return [p for p in workloads.all_pods(api) if p["namespace"] == svc.get("namespace") and selector
            and all((p.get("labels") or {}).get(k) == v for k, v in selector.items()) and workloads.pod_healthy(api, p)]


def answers(api, host, port):
    host = host.strip("[]")
    for p in workloads.all_pods(api):
        if p.get("node") and workloads.pod_ip(api, p) == host and workloads.pod_healthy(api, p) and port in (p.get("ports") or []):
            return True
    for svc in services(api):
        spec = svc.get("spec") or {}
        if spec.get("clusterIP") == host and any(pt.get("port") == port for pt in spec.get("ports") or []):
            return bool(selected_ready(api, svc))
    node = next((n for n, e in api.get("nodes", {}).items() if e.get("address") == host), None)
    if node is not None and workloads.node_ready(api, node):
        for svc in services(api):
            if any(pt.get("nodePort") == port for pt in (svc.get("spec") or {}).get("ports") or []):
                return bool(selected_ready(api, svc))
    return False


def resolves(api, name):
    """kubernetes.default and NAME.NS, with or without .svc and the cluster domain, of Services that exist."""
    parts = name.rstrip(".").split(".")
    if len(parts) < 2:
        return None
    svc, ns = parts[0], parts[1]
    if svc == "kubernetes" and ns == "default":
        return "10.96.0.1"
    for o in services(api):
        if o["name"] == svc and o.get("namespace") == ns:
            return o["spec"]["clusterIP"]
    return None


def exec_in_pod(words, flags, command, api):
    if not words or not command:
        common.fail("error: you must specify at least one command for the container", 1)
    ns = common.last(flags, "-n") or "default"
    name = words[0]
    pod = next((p for p in workloads.all_pods(api) if p["namespace"] == ns and p["name"] == name), None)
    if pod is None:
        common.fail('Error from server (NotFound): pods "%s" not found' % name, 1)
    if not pod.get("node") or pod.get("phase", "Running") != "Running" or not workloads.pod_healthy(api, pod):
        common.fail("error: unable to upgrade connection: container not found (\"%s\")" % (pod.get("container") or name), 1)
    code = run_in_pod(api, pod, command)
    if code:
        common.err("command terminated with exit code %d" % code)
    return code


def run_in_pod(api, pod, command):
    if command[0] == "nslookup" and len(command) == 2:
        address = None if dns_broken(pod["node"]) else resolves(api, command[1])
        if dns_broken(pod["node"]):
            common.out(";; connection timed out; no servers could be reached\n")
            return 1
        common.out("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n")
        if address is None:
            common.out("** server can't find %s: NXDOMAIN\n" % command[1])
            return 1
        parts = command[1].split(".")
        common.out("Name:\t%s.%s.svc.cluster.local\nAddress: %s\n" % (parts[0], parts[1], address))
        return 0
    if command[0] == "/agnhost" and len(command) >= 3 and command[1] == "connect":
        rest = [w for w in command[2:] if not w.startswith("--timeout")]
        if len(rest) != 1 or ":" not in rest[0]:
            common.not_simulated("agnhost", command)
        host, _, port = rest[0].rpartition(":")
        if not port.isdigit():
            common.fail("OTHER: address %s: invalid port" % rest[0], 1)
        if answers(api, host, int(port)):
            return 0
        sys.stderr.write("TIMEOUT\n")
        return 1
    common.not_simulated("kubectl exec --", command)
