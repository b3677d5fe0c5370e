"""kubeadm: version, init (and the phases etcd local, upload-certs, bootstrap-token), join, reset;
upgrade plan|apply|node are in upgrade.py.

It reads the same configuration the real kubeadm reads and fails where the real one fails (the
preflight errors, a wrong token or CA pin, a stale certificate key, kubeconfigs or certificates
that do not match the cluster), writes the files the real one writes with the same modes, and keeps
the cluster's API-side state (nodes, tokens by hash, endpoints, the CA) in the shared api.json.
Certificates are made with openssl; etcd, stacked or external, is the REAL etcd run by the
kubelet's static pods (pods.py), members added with the real etcdctl."""
import fcntl
import glob
import hashlib
import ipaddress
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time

import yaml

from . import common, kernel, pki, pods, systemd

K8S = "/etc/kubernetes"
MANIFESTS = K8S + "/manifests"
KUBELET_DIR = "/var/lib/kubelet"
KUBEADM_APIS = ("kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4")
TOKEN = re.compile(r"^([a-z0-9]{6})\.([a-z0-9]{16})$")
CERTS_TTL_NS = 2 * 3600 * 10 ** 9
SOCKET_UNITS = pods.SOCKETS
RUNTIME_SOCKETS = {"containerd": "unix:///var/run/containerd/containerd.sock", "crio": "unix:///var/run/crio/crio.sock",
                   "cri-docker": "unix:///var/run/cri-dockerd.sock"}
SHARED_CERTS = ["ca.crt", "ca.key", "sa.key", "sa.pub", "front-proxy-ca.crt", "front-proxy-ca.key",
                "etcd/ca.crt", "etcd/ca.key"]


def kubeadm(args, ctx):
    if not args:
        common.not_simulated("kubeadm", args)
    verb = args[0]
    if verb == "version":
        return version(args[1:])
    if verb == "init" and len(args) > 1 and args[1] == "phase":
        return init_phase(args[2:], ctx)
    if verb == "init":
        return init(args[1:], ctx)
    if verb == "join":
        return join(args[1:], ctx)
    if verb == "reset":
        return reset(args[1:], ctx)
    if verb == "upgrade":
        from . import upgrade
        return upgrade.upgrade(args[1:], ctx)
    if verb == "certs":
        from . import certs
        return certs.certs(args[1:], ctx)
    if verb == "kubeconfig":
        from . import kubeconfig
        return kubeconfig.kubeconfig(args[1:], ctx)
    common.not_simulated("kubeadm", args)


def kubelet(args, ctx):
    """The kubelet binary answers --version; running it is the kubelet service's business (systemctl)."""
    if args == ["--version"]:
        common.out("Kubernetes v" + (common.installed_version("kubelet") or common.kubernetes_version()))
        return 0
    common.not_simulated("kubelet", args)


def own_version():
    return "v" + (common.installed_version("kubeadm") or common.kubernetes_version())


def version(args):
    flags, _ = common.parse_flags(args, {"-o", "--output"}, {"--output": "-o"})
    v = own_version()
    fmt = common.last(flags, "-o")
    if fmt == "short":
        common.out(v)
    elif fmt == "json":
        common.out('{"clientVersion": {"major": "1", "minor": "%d", "gitVersion": "%s", "platform": "linux/amd64"}}'
                   % (common.minor(v), v))
    else:
        common.out('kubeadm version: &version.Info{Major:"1", Minor:"%d", GitVersion:"%s", GitCommit:"kw-sim", '
                   'GitTreeState:"clean", GoVersion:"go1.25", Compiler:"gc", Platform:"linux/amd64"}'
                   % (common.minor(v), v))
    return 0


# ------------------------------------------------------------------ configuration

def phase_error(phase, message):
    common.fail("error execution phase %s: %s\nTo see the stack trace of this error execute with --v=5 or higher"
                % (phase, message), 1)


def args_list(value, where, api):
    """extraArgs / kubeletExtraArgs as [(name, value)], rejecting the other API version's shape."""
    if value is None:
        return []
    if api == "kubeadm.k8s.io/v1beta4":
        if isinstance(value, dict):
            common.fail("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct "
                        "field %s of type []v1beta4.Arg" % where, 1)
        return [(a["name"], str(a["value"])) for a in value]
    if isinstance(value, list):
        common.fail("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct "
                    "field %s of type map[string]string" % where, 1)
    return [(k, str(v)) for k, v in value.items()]


class Config:
    """The documents of a kubeadm --config file, by kind."""

    def __init__(self, path):
        self.path = path
        self.docs = {}
        self.api = KUBEADM_APIS[1]
        if path is None:
            return
        if not os.path.exists(path):
            common.fail('unable to read config from "%s" [open %s: no such file or directory]' % (path, path), 1)
        try:
            docs = [d for d in yaml.safe_load_all(common.read_file(path)) if d]
        except yaml.YAMLError as e:
            common.fail("unable to decode config from %s: %s" % (path, e), 1)
        for d in docs:
            api, kind = d.get("apiVersion", ""), d.get("kind", "")
            if api.startswith("kubeadm.k8s.io/") and api not in KUBEADM_APIS:
                common.fail('no kind "%s" is registered for version "%s" in scheme "k8s.io/kubernetes/cmd/kubeadm/'
                            'app/apis/kubeadm/scheme/scheme.go:31"' % (kind, api), 1)
            self.docs[kind] = d
        self.api = next((d["apiVersion"] for d in docs if d.get("apiVersion", "").startswith("kubeadm")), KUBEADM_APIS[1])
        for section in ("apiServer", "controllerManager", "scheduler"):
            args_list(self.cluster.get(section, {}).get("extraArgs"), "ControlPlaneComponent.%s.extraArgs" % section,
                      self.api)
        args_list(self.cluster.get("etcd", {}).get("local", {}).get("extraArgs"), "LocalEtcd.etcd.local.extraArgs",
                  self.api)
        for kind in ("InitConfiguration", "JoinConfiguration"):
            args_list(self.docs.get(kind, {}).get("nodeRegistration", {}).get("kubeletExtraArgs"),
                      "NodeRegistrationOptions.nodeRegistration.kubeletExtraArgs", self.api)

    @property
    def init(self):
        return self.docs.get("InitConfiguration", {})

    @property
    def cluster(self):
        return self.docs.get("ClusterConfiguration", {})

    @property
    def join(self):
        return self.docs.get("JoinConfiguration", {})

    @property
    def kubelet(self):
        return self.docs.get("KubeletConfiguration")

    def extra_args(self, section):
        if section == "etcd":
            return args_list(self.cluster.get("etcd", {}).get("local", {}).get("extraArgs"), "etcd", self.api)
        return args_list(self.cluster.get(section, {}).get("extraArgs"), section, self.api)


def node_name(registration):
    return (registration or {}).get("name") or socket.gethostname().lower()


def host_port(endpoint, default_port):
    if not endpoint:
        return None
    if endpoint.startswith("["):
        return endpoint if "]:" in endpoint else endpoint + ":%d" % default_port
    return endpoint if endpoint.count(":") == 1 else "%s:%d" % (endpoint, default_port)


def pki_dir(cfg):
    return cfg.cluster.get("certificatesDir") or K8S + "/pki"


def service_ip(cfg):
    subnet = (cfg.cluster.get("networking") or {}).get("serviceSubnet") or "10.96.0.0/12"
    return str(next(ipaddress.ip_network(subnet.split(",")[0].strip(), strict=False).hosts()))


def stacked(cfg):
    return "external" not in (cfg.cluster.get("etcd") or {})


# ------------------------------------------------------------------ preflight

def memory_mb():
    for line in common.read_file("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) // 1024
    return 0


def swap_on():
    return len(common.read_file("/proc/swaps").strip().splitlines()) > 1


def port_in_use(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", port))
        return False
    except OSError:
        return True
    finally:
        s.close()


def runtime_unit(registration):
    """The CRI the node uses: nodeRegistration.criSocket, else the single one running."""
    sock = (registration or {}).get("criSocket")
    if sock:
        return SOCKET_UNITS.get(os.path.basename(sock.split("://", 1)[-1])), sock
    running = [u for u in RUNTIME_SOCKETS if systemd.is_active(u)]
    if len(running) > 1:
        phase_error("preflight", "Found multiple CRI endpoints on the host. Please define which one do you wish to use "
                                 "by setting the 'criSocket' field in the kubeadm configuration file: "
                    + ", ".join(RUNTIME_SOCKETS[u] for u in running))
    if not running:
        return None, None
    return running[0], RUNTIME_SOCKETS[running[0]]


def runtime_problem(unit, sock):
    st = common.read_node_state().get("units", {}).get(unit or "", {})
    if unit is None or not systemd.is_active(unit):
        return ('container runtime is not running: output: time="%s" level=fatal msg="validate service connection: '
                'validate CRI v1 runtime API for endpoint \\"%s\\": rpc error: code = Unavailable desc = connection '
                'error: desc = \\"transport: Error while dialing: dial unix %s: connect: no such file or '
                'directory\\""\n, error: exit status 1'
                % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), sock or "unix:///var/run/containerd/containerd.sock",
                   (sock or "/var/run/containerd/containerd.sock").split("://", 1)[-1]))
    if st.get("criDisabled"):
        return ('container runtime is not running: output: time="%s" level=fatal msg="validate service connection: '
                'validate CRI v1 runtime API for endpoint \\"%s\\": rpc error: code = Unimplemented desc = unknown '
                'service runtime.v1.RuntimeService"\n, error: exit status 1'
                % (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), sock))
    return None


def external_etcd_problem(external):
    import ssl
    import urllib.error
    import urllib.request
    problems = []
    files = [external.get(k) for k in ("caFile", "certFile", "keyFile")]
    for f in files:
        if f and not os.path.exists(f):
            problems.append(("ExternalEtcdClientCertificates", "%s doesn't exist" % f))
    if problems:
        return problems
    context = ssl.create_default_context(cafile=external.get("caFile"))
    if external.get("certFile"):
        context.load_cert_chain(external["certFile"], external.get("keyFile"))
    for endpoint in external.get("endpoints", []):
        url = endpoint.rstrip("/") + "/version"
        try:
            with urllib.request.urlopen(url, context=context, timeout=5) as r:
                r.read()
        except (urllib.error.URLError, OSError, ssl.SSLError) as e:
            reason = getattr(e, "reason", e)
            host = endpoint.split("://", 1)[-1]
            if isinstance(reason, ConnectionRefusedError):
                reason = "dial tcp %s: connect: connection refused" % host
            elif isinstance(reason, ssl.SSLCertVerificationError):
                reason = "tls: failed to verify certificate: x509: %s" % reason.verify_message
            problems.append(("ExternalEtcdVersion", 'Get "%s": %s' % (url, reason)))
    return problems


def preflight(kind, cfg, registration, ignore, stacked_etcd, bind_port):
    """kind: init, control-plane or worker. Fails like kubeadm with every fatal error listed."""
    common.out("[preflight] Running pre-flight checks")
    errors, warnings = [], []
    control_plane = kind in ("init", "control-plane")
    if os.getuid() != 0:
        errors.append(("IsPrivilegedUser", "user is not running as root"))
    if control_plane:
        cpus = len(os.sched_getaffinity(0))
        if cpus < 2:
            errors.append(("NumCPU", "the number of available CPUs %d is less than the required 2" % cpus))
        mem = memory_mb()
        if mem < 1700:
            errors.append(("Mem", "the system RAM (%d MB) is less than the minimum 1700 MB" % mem))
    ports = [bind_port, 10259, 10257] + ([2379, 2380] if stacked_etcd else []) if control_plane else []
    for port in ports + [10250]:
        if port_in_use(port):
            errors.append(("Port-%d" % port, "Port %d is in use" % port))
    if kind == "init":
        for f in ["kube-apiserver", "kube-controller-manager", "kube-scheduler"] + (["etcd"] if stacked_etcd else []):
            path = "%s/%s.yaml" % (MANIFESTS, f)
            if os.path.exists(path):
                errors.append(("FileAvailable-" + path.replace("/", "-"), "%s already exists" % path))
    else:
        if os.path.isdir(MANIFESTS) and os.listdir(MANIFESTS):
            errors.append(("DirAvailable--etc-kubernetes-manifests", "%s is not empty" % MANIFESTS))
        for f in (K8S + "/kubelet.conf", K8S + "/bootstrap-kubelet.conf") + (() if control_plane else (K8S + "/pki/ca.crt",)):
            if os.path.exists(f):
                errors.append(("FileAvailable-" + f.replace("/", "-"), "%s already exists" % f))
    if stacked_etcd and control_plane and os.path.isdir("/var/lib/etcd") and os.listdir("/var/lib/etcd"):
        errors.append(("DirAvailable--var-lib-etcd", "/var/lib/etcd is not empty"))
    if swap_on():
        warnings.append(("Swap", "swap is supported for cgroup v2 only. The kubelet must be properly configured to use "
                                 "swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory,"
                                 " or disable swap on the node"))
    if kernel.sysctl_value("net.ipv4.ip_forward") != "1":
        errors.append(("FileContent--proc-sys-net-ipv4-ip_forward", "/proc/sys/net/ipv4/ip_forward contents are not set to 1"))
    unit, sock = runtime_unit(registration)
    problem = runtime_problem(unit, sock)
    if problem:
        errors.append(("CRI", problem))
    for tool in ("crictl", "ip", "mount", "nsenter"):
        if shutil.which(tool) is None:
            errors.append(("FileExisting-" + tool, "%s not found in system path" % tool))
    kubelet_version = common.installed_version("kubelet")
    if shutil.which("kubelet") is None or kubelet_version is None:
        errors.append(("KubeletVersion", "couldn't get kubelet version: cannot execute 'kubelet --version': "
                                         "executable file not found in $PATH"))
    elif control_plane:
        # init: the version being installed; a control plane joining: the cluster's (its kubeadm-config)
        cp_version = (cfg.cluster.get("kubernetesVersion") if kind == "init"
                      else common.read_api_state().get("kubernetesVersion")) or own_version()
        if common.minor(kubelet_version) > common.minor(cp_version):
            errors.append(("KubeletVersion", 'the kubelet version is higher than the control plane version. This is not a'
                                             ' supported version skew and may lead to a malfunctional cluster. Kubelet '
                                             'version: "%s" Control plane version: "%s"'
                           % (kubelet_version, cp_version.lstrip("v"))))
    if not common.read_node_state().get("units", {}).get("kubelet", {}).get("enabled"):
        warnings.append(("Service-Kubelet", "kubelet service is not enabled, please run 'systemctl enable kubelet.service'"))
    if kind == "init" and "external" in (cfg.cluster.get("etcd") or {}):
        errors.extend(external_etcd_problem(cfg.cluster["etcd"]["external"]))
    if control_plane and common.no_internet():
        errors.extend(image_pull_problems(cfg, stacked_etcd))
    ignored = {i.strip().lower() for i in ignore}
    fatal = []
    for name, message in errors:
        if "all" in ignored or name.lower() in ignored:
            warnings.append((name, message))
        else:
            fatal.append((name, message))
    for name, message in warnings:
        common.err("\t[WARNING %s]: %s" % (name, message))
    if fatal:
        phase_error("preflight", "[preflight] Some fatal errors occurred:\n"
                    + "".join("\t[ERROR %s]: %s\n" % e for e in fatal)
                    + "[preflight] If you know what you are doing, you can make a check non-fatal with "
                      "`--ignore-preflight-errors=...`")


def image_pull_problems(cfg, stacked_etcd):
    """Without the internet, kubeadm's image pull finds only what the runtime holds (imported from a
    bundle) or a registry with a mirror (containerd's certs.d hosts.toml)."""
    from . import containers
    v = cfg.cluster.get("kubernetesVersion") or own_version()
    wanted = [image(cfg, n, v) for n in ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy")]
    if stacked_etcd:
        wanted.append(image(cfg, "etcd", etcd_tag(v)))
    have = containers.images("k8s.io")
    problems = []
    for ref in wanted:
        registry = containers.registry(ref)
        if ref in have or os.path.exists("/etc/containerd/certs.d/%s/hosts.toml" % registry):
            continue
        problems.append(("ImagePull", "failed to pull image %s: failed to pull and unpack image \"%s\": failed to "
                                      "resolve reference \"%s\": failed to do request: Head \"https://%s/v2/\": dial "
                                      "tcp: lookup %s: no such host" % (ref, ref, ref, registry, registry)))
    return problems


def ignore_list(flags, registration):
    out = []
    for v in flags.get("--ignore-preflight-errors", []):
        out.extend(v.split(","))
    out.extend((registration or {}).get("ignorePreflightErrors") or [])
    return out


# ------------------------------------------------------------------ certificates and kubeconfigs

def have(crt, key):
    return os.path.exists(crt) and os.path.exists(key)


def ensure_ca(p, name, cn, cluster_ca=None):
    crt, key = "%s/%s.crt" % (p, name), "%s/%s.key" % (p, name)
    if os.path.exists(crt):
        common.out('[certs] Using the existing "%s" certificate and key' % name)
        return
    if cluster_ca:
        os.makedirs(os.path.dirname(crt), exist_ok=True)
        common.write_file(crt, common.read_file(cluster_ca + ".crt"), 0o644)
        common.write_file(key, common.read_file(cluster_ca + ".key"), 0o600)
    else:
        pki.self_signed_ca(crt, key, cn)
    common.out('[certs] Generating "%s" certificate and key' % name)


def ensure_leaf(p, name, ca, cn, orgs=(), sans=(), server=False, client=False):
    crt, key = "%s/%s.crt" % (p, name), "%s/%s.key" % (p, name)
    ca_crt, ca_key = "%s/%s.crt" % (p, ca), "%s/%s.key" % (p, ca)
    if have(crt, key):
        if not pki.verify(open(crt, "rb").read(), ca_crt):
            phase_error("certs/" + name.replace("/", "-"), "[certs] certificate %s not signed by CA certificate %s: "
                        "x509: certificate signed by unknown authority" % (name, ca))
        common.out('[certs] Using existing %s certificate and key on disk' % name)
        return
    if not os.path.exists(ca_key):
        phase_error("certs/" + name.replace("/", "-"), "couldn't load the private key file %s: open %s: no such file "
                    "or directory" % (ca_key, ca_key))
    pki.sign(crt, key, ca_crt, ca_key, cn, orgs, sans, server, client)
    common.out('[certs] Generating "%s" certificate and key' % name)


def ensure_sa(p):
    if os.path.exists(p + "/sa.key"):
        common.out('[certs] Using the existing "sa" key')
        return
    pki.new_key(p + "/sa.key")
    common.write_file(p + "/sa.pub", pki.openssl(["pkey", "-in", p + "/sa.key", "-pubout"]), 0o644)
    common.out('[certs] Generating "sa" key and public key')


def leaf_certs(cfg, p, name, advertise, cpe, stacked_etcd):
    domain = (cfg.cluster.get("networking") or {}).get("dnsDomain") or "cluster.local"
    sans = [name, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc." + domain,
            service_ip(cfg), advertise] + ([cpe.rsplit(":", 1)[0]] if cpe else []) + list(
        (cfg.cluster.get("apiServer") or {}).get("certSANs") or [])
    ensure_leaf(p, "apiserver", "ca", "kube-apiserver", sans=dedupe(sans), server=True)
    ensure_leaf(p, "apiserver-kubelet-client", "ca", "kube-apiserver-kubelet-client", ["kubeadm:cluster-admins"],
                client=True)
    ensure_ca(p, "front-proxy-ca", "front-proxy-ca")
    ensure_leaf(p, "front-proxy-client", "front-proxy-ca", "front-proxy-client", client=True)
    if stacked_etcd:
        ensure_ca(p, "etcd/ca", "etcd-ca")
        etcd_sans = [name, "localhost", advertise, "127.0.0.1", "::1"]
        ensure_leaf(p, "etcd/server", "etcd/ca", name, sans=etcd_sans, server=True, client=True)
        ensure_leaf(p, "etcd/peer", "etcd/ca", name, sans=etcd_sans, server=True, client=True)
        ensure_leaf(p, "etcd/healthcheck-client", "etcd/ca", "kube-etcd-healthcheck-client", client=True)
        ensure_leaf(p, "apiserver-etcd-client", "etcd/ca", "kube-apiserver-etcd-client", client=True)
    ensure_sa(p)


def dedupe(items):
    seen = []
    for i in items:
        if i and i not in seen:
            seen.append(i)
    return seen


def ensure_kubeconfig(path, cluster, server, p, user, orgs, check_server=True):
    ca_crt = p + "/ca.crt"
    if os.path.exists(path):
        try:
            have_server, have_ca, _, _ = pki.read_kubeconfig(path)
        except (ValueError, KeyError, OSError, yaml.YAMLError) as e:
            phase_error("kubeconfig", 'failed to load kubeconfig file "%s": %s' % (path, e))
        if have_ca is None or have_ca.strip() != open(ca_crt, "rb").read().strip():
            phase_error("kubeconfig", 'a kubeconfig file "%s" exists already but has got the wrong CA cert' % path)
        if check_server and have_server != server:
            phase_error("kubeconfig", 'a kubeconfig file "%s" exists already but has an unexpected API Server URL: '
                                      'expected: %s, got: %s' % (path, server, have_server))
        common.out('[kubeconfig] Using existing kubeconfig file: "%s"' % path)
        return
    if not os.path.exists(p + "/ca.key"):
        phase_error("kubeconfig", "couldn't create a kubeconfig; the CA files couldn't be loaded: open %s/ca.key: no "
                                  "such file or directory" % p)
    pki.write_kubeconfig(path, cluster, server, ca_crt, p + "/ca.key", user, orgs)
    common.out('[kubeconfig] Writing "%s" kubeconfig file' % os.path.basename(path))


# ------------------------------------------------------------------ manifests

def merged_args(defaults, extra):
    args = dict(defaults)
    for k, v in extra:
        args[k] = v
    return ["--%s=%s" % (k, args[k]) for k in sorted(args)]


def write_pod(name, image, command, volumes=()):
    doc = {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "kube-system", "labels": {"component": name, "tier": "control-plane"}},
        "spec": {"hostNetwork": True, "priorityClassName": "system-node-critical",
                 "containers": [{"name": name, "image": image, "command": command,
                                 "volumeMounts": [{"name": v["name"], "mountPath": v["mountPath"],
                                                   "readOnly": v.get("readOnly", False)} for v in volumes]}],
                 "volumes": [{"name": v["name"], "hostPath": {"path": v["hostPath"],
                                                              "type": v.get("pathType", "DirectoryOrCreate")}}
                             for v in volumes]},
    }
    common.write_file("%s/%s.yaml" % (MANIFESTS, name), yaml.safe_dump(doc, sort_keys=False), 0o600)
    common.out('[control-plane] Creating static Pod manifest for "%s"' % name)


def image(cfg, name, tag):
    return "%s/%s:%s" % (cfg.cluster.get("imageRepository") or "registry.k8s.io", name, tag)


def control_plane_manifests(cfg, p, advertise, bind_port, stacked_etcd):
    v = cfg.cluster.get("kubernetesVersion") or own_version()
    networking = cfg.cluster.get("networking") or {}
    etcd = cfg.cluster.get("etcd") or {}
    if stacked_etcd:
        etcd_args = {"etcd-servers": "https://127.0.0.1:2379", "etcd-cafile": p + "/etcd/ca.crt",
                     "etcd-certfile": p + "/apiserver-etcd-client.crt", "etcd-keyfile": p + "/apiserver-etcd-client.key"}
    else:
        ext = etcd["external"]
        etcd_args = {"etcd-servers": ",".join(ext.get("endpoints", [])), "etcd-cafile": ext.get("caFile", ""),
                     "etcd-certfile": ext.get("certFile", ""), "etcd-keyfile": ext.get("keyFile", "")}
    api = {"advertise-address": advertise, "allow-privileged": "true", "authorization-mode": "Node,RBAC",
           "client-ca-file": p + "/ca.crt", "enable-admission-plugins": "NodeRestriction",
           "enable-bootstrap-token-auth": "true", "kubelet-client-certificate": p + "/apiserver-kubelet-client.crt",
           "kubelet-client-key": p + "/apiserver-kubelet-client.key",
           "kubelet-preferred-address-types": "InternalIP,ExternalIP,Hostname",
           "proxy-client-cert-file": p + "/front-proxy-client.crt", "proxy-client-key-file": p + "/front-proxy-client.key",
           "requestheader-allowed-names": "front-proxy-client", "requestheader-client-ca-file": p + "/front-proxy-ca.crt",
           "requestheader-extra-headers-prefix": "X-Remote-Extra-", "requestheader-group-headers": "X-Remote-Group",
           "requestheader-username-headers": "X-Remote-User", "secure-port": str(bind_port),
           "service-account-issuer": "https://kubernetes.default.svc.cluster.local",
           "service-account-key-file": p + "/sa.pub", "service-account-signing-key-file": p + "/sa.key",
           "service-cluster-ip-range": networking.get("serviceSubnet") or "10.96.0.0/12",
           "tls-cert-file": p + "/apiserver.crt", "tls-private-key-file": p + "/apiserver.key"}
    api.update(etcd_args)
    volumes = [{"name": "k8s-certs", "hostPath": p, "mountPath": p, "readOnly": True, "pathType": "DirectoryOrCreate"}]
    write_pod("kube-apiserver", image(cfg, "kube-apiserver", v), ["kube-apiserver"] + merged_args(
        api, cfg.extra_args("apiServer")), volumes + list((cfg.cluster.get("apiServer") or {}).get("extraVolumes") or []))
    cm = {"kubeconfig": K8S + "/controller-manager.conf", "authentication-kubeconfig": K8S + "/controller-manager.conf",
          "authorization-kubeconfig": K8S + "/controller-manager.conf", "bind-address": "127.0.0.1",
          "client-ca-file": p + "/ca.crt", "cluster-name": cfg.cluster.get("clusterName") or "kubernetes",
          "cluster-signing-cert-file": p + "/ca.crt", "cluster-signing-key-file": p + "/ca.key",
          "controllers": "*,bootstrapsigner,tokencleaner", "leader-elect": "true",
          "root-ca-file": p + "/ca.crt", "service-account-private-key-file": p + "/sa.key",
          "use-service-account-credentials": "true"}
    if networking.get("podSubnet"):
        cm.update({"allocate-node-cidrs": "true", "cluster-cidr": networking["podSubnet"]})
    write_pod("kube-controller-manager", image(cfg, "kube-controller-manager", v), ["kube-controller-manager"] + merged_args(
        cm, cfg.extra_args("controllerManager")), volumes + list((cfg.cluster.get("controllerManager") or {}).get("extraVolumes") or []))
    sched = {"kubeconfig": K8S + "/scheduler.conf", "authentication-kubeconfig": K8S + "/scheduler.conf",
             "authorization-kubeconfig": K8S + "/scheduler.conf", "bind-address": "127.0.0.1", "leader-elect": "true"}
    write_pod("kube-scheduler", image(cfg, "kube-scheduler", v), ["kube-scheduler"] + merged_args(
        sched, cfg.extra_args("scheduler")), list((cfg.cluster.get("scheduler") or {}).get("extraVolumes") or []))


def etcd_tag(kubernetes_version):
    """The etcd image tag kubeadm of a minor pins (kubewizard's KubernetesVersion.etcdTag, docs/kubeadm.md)."""
    m = common.minor(kubernetes_version)
    return "3.6.6-0" if m >= 34 else "3.5.24-0" if m >= 31 else "3.5.15-0"


def etcd_manifest(cfg, p, name, advertise, initial_cluster, state):
    local = (cfg.cluster.get("etcd") or {}).get("local") or {}
    host = "[%s]" % advertise if ":" in advertise else advertise
    defaults = {"advertise-client-urls": "https://%s:2379" % host, "cert-file": p + "/etcd/server.crt",
                "client-cert-auth": "true", "data-dir": local.get("dataDir") or "/var/lib/etcd",
                "feature-gates": "InitialCorruptCheck=true",
                "initial-advertise-peer-urls": "https://%s:2380" % host,
                "initial-cluster": initial_cluster or "%s=https://%s:2380" % (name, host),
                "key-file": p + "/etcd/server.key",
                "listen-client-urls": "https://127.0.0.1:2379,https://%s:2379" % host,
                "listen-metrics-urls": "http://127.0.0.1:2381", "listen-peer-urls": "https://%s:2380" % host,
                "name": name, "peer-cert-file": p + "/etcd/peer.crt", "peer-client-cert-auth": "true",
                "peer-key-file": p + "/etcd/peer.key", "peer-trusted-ca-file": p + "/etcd/ca.crt",
                "snapshot-count": "10000", "trusted-ca-file": p + "/etcd/ca.crt",
                "watch-progress-notify-interval": "5s"}
    if state:
        defaults["initial-cluster-state"] = state
    data_dir = local.get("dataDir") or "/var/lib/etcd"
    write_pod("etcd", image(cfg, "etcd", local.get("imageTag") or etcd_tag(cfg.cluster.get("kubernetesVersion")
                                                                            or own_version())),
              ["etcd"] + merged_args(defaults, cfg.extra_args("etcd")),
              [{"name": "etcd-data", "hostPath": data_dir, "mountPath": data_dir},
               {"name": "etcd-certs", "hostPath": p + "/etcd", "mountPath": p + "/etcd"}])


# ------------------------------------------------------------------ kubelet

def runtime_cgroup_driver(unit):
    """The cgroup driver the running runtime was started with (read at its last restart)."""
    return common.read_node_state().get("units", {}).get(unit or "", {}).get("cgroupDriver")


def kubelet_start(cfg, kubelet_config, registration, phase):
    os.makedirs(KUBELET_DIR, exist_ok=True)
    config = dict(kubelet_config or {"apiVersion": "kubelet.config.k8s.io/v1beta1", "kind": "KubeletConfiguration"})
    config.setdefault("cgroupDriver", "systemd")
    common.write_file(KUBELET_DIR + "/config.yaml", yaml.safe_dump(config, sort_keys=False), 0o644)
    unit, sock = runtime_unit(registration)
    flags = "--container-runtime-endpoint=%s" % (sock or "")
    for k, v in args_list((registration or {}).get("kubeletExtraArgs"), "kubeletExtraArgs", cfg.api):
        flags += " --%s=%s" % (k, v)
    common.write_file(KUBELET_DIR + "/kubeadm-flags.env", 'KUBELET_KUBEADM_ARGS="%s"\n' % flags, 0o644)
    common.out("[kubelet-start] Writing kubelet configuration to file \"%s/config.yaml\"" % KUBELET_DIR)
    common.out("[kubelet-start] Starting the kubelet")
    with common.node_state() as st:
        systemd.start("kubelet", st)
    refused = refused_labels(node_labels(registration, cfg.api))
    if refused:
        # the kubelet exits at start-up, before it registers its Node: kubeadm waits for it in vain
        phase_error(phase, "The kubelet is not running or is unhealthy: failed to validate kubelet flags: unknown "
                           "'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [%s]\n--node-labels in the "
                           "'kubernetes.io' namespace must begin with an allowed prefix (%s) or be in the specifically "
                           "allowed set (%s)" % (" ".join(refused), ", ".join(KUBELET_LABEL_NAMESPACES),
                                                  ", ".join(KUBELET_LABELS)))
    if swap_on() and config.get("failSwapOn", True):
        phase_error(phase, "The kubelet is not running or is unhealthy: failed to run Kubelet: running with swap on is "
                           "not supported, please disable swap or set --fail-swap-on flag to false")
    runtime_driver = runtime_cgroup_driver(unit)
    if runtime_driver and runtime_driver != config["cgroupDriver"]:
        phase_error(phase, 'The kubelet is not running or is unhealthy: misconfiguration: kubelet cgroup driver: "%s" '
                           'is different from the container runtime cgroup driver: "%s"'
                    % (config["cgroupDriver"], runtime_driver))
    pods.sync_static_pods()


def wait_for_local_etcd(timeout=45):
    """kubeadm waits for etcd (through the API server); here: the real local member answers health."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        r = etcdctl(["https://127.0.0.1:2379"], ["endpoint", "health"])
        if r.returncode == 0:
            return
        last = (r.stdout + r.stderr).strip()
        if not any(not p["simulated"] and p["container"] == "etcd" and p["state"] == "CONTAINER_RUNNING"
                   for p in pods.pods()):
            break
        time.sleep(0.3)
    tail = ""
    if os.path.exists(common.LOG_DIR + "/etcd.log"):
        tail = "\n".join(common.read_file(common.LOG_DIR + "/etcd.log").splitlines()[-5:])
    phase_error("wait-control-plane", "etcd did not become healthy: %s\n%s" % (last, tail))


def etcdctl(endpoints, args, p=K8S + "/pki"):
    cmd = [pods.ETCDCTL, "--endpoints=" + ",".join(endpoints), "--cacert=%s/etcd/ca.crt" % p,
           "--cert=%s/apiserver-etcd-client.crt" % p, "--key=%s/apiserver-etcd-client.key" % p,
           "--dial-timeout=3s", "--command-timeout=5s"] + args
    return subprocess.run(cmd, capture_output=True, text=True, env={"ETCDCTL_API": "3", "PATH": "/usr/bin:/bin"})


# ------------------------------------------------------------------ init

def tokens_of(cfg):
    return [t["token"] for t in cfg.init.get("bootstrapTokens") or [] if t.get("token")]


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def register_tokens(tokens):
    with common.api_state() as api:
        known = api.setdefault("tokens", {})
        for t in tokens:
            m = TOKEN.match(t)
            if not m:
                phase_error("bootstrap-token", 'the bootstrap token "%s" was not of the form "%s"' % (t, TOKEN.pattern))
            known[token_hash(t)] = {"id": m.group(1), "createdNs": time.time_ns()}


def upload_certs(p, key):
    """The kubeadm-certs Secret: the shared certificates, readable by a join with the same key for 2 hours."""
    store = common.CLUSTER_DIR + "/kubeadm-certs"
    shutil.rmtree(store, ignore_errors=True)
    for f in SHARED_CERTS + ["apiserver-etcd-client.crt", "apiserver-etcd-client.key"]:
        if os.path.exists("%s/%s" % (p, f)):
            common.write_file("%s/%s" % (store, f), open("%s/%s" % (p, f), "rb").read(), 0o600)
    with common.api_state() as api:
        api["certificateKeyHash"] = hashlib.sha256(key.encode()).hexdigest()
        api["certsUploadedNs"] = time.time_ns()
    common.out("[upload-certs] Storing the certificates in Secret \"kubeadm-certs\" in the \"kube-system\" Namespace")
    common.out("[upload-certs] Using certificate key:\n%s" % key)


def init(args, ctx):
    flags, _ = common.parse_flags(args, {"--config", "--ignore-preflight-errors", "--skip-phases", "--certificate-key",
                                         "--token", "--cri-socket", "--node-name", "--apiserver-advertise-address",
                                         "--control-plane-endpoint", "--kubernetes-version", "--pod-network-cidr",
                                         "--service-cidr", "--apiserver-bind-port", "--v"})
    cfg = Config(common.last(flags, "--config"))
    skip = set()
    for v in flags.get("--skip-phases", []):
        skip.update(v.split(","))
    reg = cfg.init.get("nodeRegistration") or {}
    name = common.last(flags, "--node-name") or node_name(reg)
    endpoint = cfg.init.get("localAPIEndpoint") or {}
    advertise = common.last(flags, "--apiserver-advertise-address") or endpoint.get("advertiseAddress") \
        or common.node()["address"]
    bind_port = int(endpoint.get("bindPort") or 6443)
    cpe = host_port(common.last(flags, "--control-plane-endpoint") or cfg.cluster.get("controlPlaneEndpoint"), bind_port)
    cluster_name = cfg.cluster.get("clusterName") or "kubernetes"
    version_wanted = common.last(flags, "--kubernetes-version") or cfg.cluster.get("kubernetesVersion") or own_version()
    if not version_wanted.startswith("v"):
        version_wanted = "v" + version_wanted
    check_version(version_wanted)
    is_stacked = stacked(cfg)
    p = pki_dir(cfg)
    api = common.read_api_state()
    if api.get("controlPlanes") and api.get("initNode") != common.node()["name"]:
        common.fail("kw-sim: kubeadm init on %s, but this simulated cluster was already initialised on %s"
                    % (name, ", ".join(api["controlPlanes"])), 64)
    common.out("[init] Using Kubernetes version: %s" % version_wanted)
    if "preflight" not in skip:
        preflight("init", cfg, reg, ignore_list(flags, reg), is_stacked, bind_port)
    ctx.work()
    server = "https://%s" % (cpe or "%s:%d" % (advertise, bind_port))
    local = "https://%s:%d" % (advertise, bind_port)
    common.out('[certs] Using certificateDir folder "%s"' % p)
    if os.path.exists(p + "/ca.crt") and not os.path.exists(p + "/ca.key"):
        common.out("[certs] External CA mode: the CA key is not on this node")
    ensure_ca(p, "ca", "kubernetes", common.CLUSTER_DIR + "/ca/ca")
    if os.path.exists(p + "/ca.key"):
        leaf_certs(cfg, p, name, advertise, cpe, is_stacked)
    ensure_kubeconfig(K8S + "/admin.conf", cluster_name, server, p, "kubernetes-admin", ["kubeadm:cluster-admins"])
    ensure_kubeconfig(K8S + "/super-admin.conf", cluster_name, server, p, "kubernetes-super-admin", ["system:masters"])
    ensure_kubeconfig(K8S + "/kubelet.conf", cluster_name, server, p, "system:node:" + name, ["system:nodes"], False)
    ensure_kubeconfig(K8S + "/controller-manager.conf", cluster_name, local, p, "system:kube-controller-manager", [], False)
    ensure_kubeconfig(K8S + "/scheduler.conf", cluster_name, local, p, "system:kube-scheduler", [], False)
    if is_stacked:
        etcd_manifest(cfg, p, name, advertise, None, None)
    control_plane_manifests(cfg, p, advertise, bind_port, is_stacked)
    kubelet_start(cfg, cfg.kubelet, reg, "kubelet-start")
    if is_stacked:
        wait_for_local_etcd()
    ca_pem = common.read_file(p + "/ca.crt")
    with common.api_state() as state:
        state.update({"clusterName": cluster_name, "kubernetesVersion": version_wanted,
                      "controlPlaneEndpoint": cpe or "", "caPem": ca_pem, "caHash": pki.spki_hash(ca_pem.encode()),
                      "stackedEtcd": is_stacked, "kubeletConfig": cfg.kubelet, "controlPlanes": [name],
                      "clusterConfiguration": cfg.cluster, "configApi": cfg.api,
                      "initialisedNs": time.time_ns(), "initNode": common.node()["name"]})
        state["endpoints"] = dedupe([cpe, "%s:%d" % (advertise, bind_port)])
        state["advertise"] = {name: "%s:%d" % (advertise, bind_port)}
        state.setdefault("nodes", {})[name] = node_entry(["control-plane"], reg, cfg.api)
        objects = state.setdefault("objects", [])
        if "addon/coredns" not in skip and "addon" not in skip:
            objects.append({"kind": "Deployment", "namespace": "kube-system", "name": "coredns"})
        if "addon/kube-proxy" not in skip and "addon" not in skip \
                and not (cfg.cluster.get("proxy") or {}).get("disabled"):
            objects.append({"kind": "DaemonSet", "namespace": "kube-system", "name": "kube-proxy"})
    if os.path.exists(p + "/ca.key"):
        common.write_file(common.CLUSTER_DIR + "/signing/ca.key", open(p + "/ca.key", "rb").read(), 0o600)
        common.write_file(common.CLUSTER_DIR + "/signing/ca.crt", ca_pem, 0o644)
    if "--upload-certs" in flags and "upload-certs" not in skip:
        upload_certs(p, common.last(flags, "--certificate-key") or cfg.init.get("certificateKey")
                     or secrets.token_hex(32))
    common.out("[mark-control-plane] Marking the node %s as control-plane by adding the labels: "
               "[node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]" % name)
    tokens = tokens_of(cfg) or [secrets.token_hex(3) + "." + secrets.token_hex(8)]
    if "bootstrap-token" not in skip:
        register_tokens(tokens)
        common.out("[bootstrap-token] Using token: %s" % tokens[0])
    common.out("[addons] Applied essential addon: CoreDNS")
    if "addon/kube-proxy" not in skip:
        common.out("[addons] Applied essential addon: kube-proxy")
    common.out("\nYour Kubernetes control-plane has initialized successfully!\n\n"
               "You can now join any number of machines by running the following on each as root:\n\n"
               "  kubeadm join %s --token %s \\\n\t--discovery-token-ca-cert-hash %s"
               % (cpe or "%s:%d" % (advertise, bind_port), tokens[0], pki.spki_hash(ca_pem.encode())))
    return 0


def check_version(wanted):
    mine = own_version()
    if common.minor(wanted) > common.minor(mine):
        common.fail("the control plane version %s is newer than kubeadm %s: use a kubeadm of that version or newer"
                    % (wanted, mine), 1)
    if common.minor(wanted) < common.minor(mine) - 1:
        common.fail("this version of kubeadm only supports deploying clusters with the control plane version >= "
                    "1.%d.0. Current version: %s" % (common.minor(mine) - 1, wanted), 1)


RUNTIME_PACKAGES = {"containerd": ("containerd", ["containerd.io", "containerd"]), "crio": ("cri-o", ["cri-o"]),
                    "cri-docker": ("docker", ["docker-ce", "docker.io"])}


def node_entry(roles, registration=None, config_api=KUBEADM_APIS[1]):
    """The Node the kubelet registers: its roles, taints and labels from nodeRegistration, and what
    its status reports about this machine."""
    reg = registration or {}
    me = common.node()
    unit, sock = runtime_unit(reg)
    entry = {"roles": roles, "host": me["name"], "address": me["address"],
             "kubeletVersion": "v" + (common.installed_version("kubelet") or common.kubernetes_version()),
             "joinedNs": time.time_ns(), "criSocket": sock or "", "kernelVersion": os.uname().release,
             "osImage": os_image(), "machineID": read_or_empty("/etc/machine-id"),
             "systemUUID": read_or_empty("/sys/class/dmi/id/product_uuid")}
    runtime, packages = RUNTIME_PACKAGES.get(unit, (None, []))
    version = next((common.installed_version(p) for p in packages if common.installed_version(p)), None)
    if runtime and version:
        entry["containerRuntimeVersion"] = "%s://%s" % (runtime, version)
    # taints: null (or absent) keeps kubeadm's default, [] registers none.
    if reg.get("taints") is not None:
        entry["taints"] = [{k: t[k] for k in ("key", "value", "effect") if t.get(k) is not None} for t in reg["taints"]]
    labels = node_labels(reg, config_api)
    if labels is not None:
        entry["labels"] = labels
    return entry


# kubelet's IsKubeletLabel (k8s.io/kubelet/pkg/apis): what --node-labels may set in the kubernetes.io and k8s.io namespaces
KUBELET_LABELS = ["beta.kubernetes.io/arch", "beta.kubernetes.io/instance-type", "beta.kubernetes.io/os",
                  "failure-domain.beta.kubernetes.io/region", "failure-domain.beta.kubernetes.io/zone",
                  "kubernetes.io/arch", "kubernetes.io/hostname", "kubernetes.io/os", "node.kubernetes.io/instance-type",
                  "topology.kubernetes.io/region", "topology.kubernetes.io/zone"]
KUBELET_LABEL_NAMESPACES = ["kubelet.kubernetes.io", "node.kubernetes.io"]


def node_labels(registration, config_api):
    """The labels the kubelet registers its Node with: its --node-labels, which kubeadm takes from
    nodeRegistration.kubeletExtraArgs (None when there is no such flag)."""
    labels = None
    for k, v in args_list((registration or {}).get("kubeletExtraArgs"), "kubeletExtraArgs", config_api):
        if k == "node-labels":
            labels = dict(p.split("=", 1) if "=" in p else (p, "") for p in v.split(",") if p)
    return labels


def in_namespace(ns, domain):
    return ns == domain or ns.endswith("." + domain)


def refused_labels(labels):
    """kubelet's ValidateKubeletFlags: keys in kubernetes.io or k8s.io that a kubelet may not set on itself."""
    out = []
    for key in labels or {}:
        ns = key.split("/", 1)[0] if "/" in key else ""
        if not (in_namespace(ns, "kubernetes.io") or in_namespace(ns, "k8s.io")) or key in KUBELET_LABELS:
            continue
        if not any(in_namespace(ns, allowed) for allowed in KUBELET_LABEL_NAMESPACES):
            out.append(key)
    return sorted(out)


def os_image():
    for line in read_or_empty("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            return line.split("=", 1)[1].strip().strip('"')
    return ""


def read_or_empty(path):
    try:
        return common.read_file(path).strip()
    except OSError:
        return ""


def init_phase(args, ctx):
    flags, words = common.parse_flags(args, {"--config", "--certificate-key", "--v"})
    cfg = Config(common.last(flags, "--config"))
    phase = " ".join(words)
    if phase == "etcd local":
        ctx.work()
        reg = cfg.init.get("nodeRegistration") or {}
        name = node_name(reg)
        advertise = (cfg.init.get("localAPIEndpoint") or {}).get("advertiseAddress") or common.node()["address"]
        etcd_manifest(cfg, pki_dir(cfg), name, advertise, None, None)
        pods.sync_static_pods()
        return 0
    api = common.read_api_state()
    if not api.get("controlPlanes"):
        phase_error(words[0] if words else "init", "unable to connect to the API server: the cluster is not initialised")
    if phase == "upload-certs":
        if "--upload-certs" not in flags:
            common.out("[upload-certs] Skipping phase. Please see --upload-certs")
            return 0
        ctx.work()
        upload_certs(pki_dir(cfg), common.last(flags, "--certificate-key") or cfg.init.get("certificateKey")
                     or secrets.token_hex(32))
        return 0
    if phase == "bootstrap-token":
        ctx.work()
        tokens = tokens_of(cfg)
        if not tokens:
            tokens = [secrets.token_hex(3) + "." + secrets.token_hex(8)]
        register_tokens(tokens)
        common.out("[bootstrap-token] Using token: %s\n[bootstrap-token] Configuring bootstrap tokens, cluster-info "
                   "ConfigMap, RBAC Roles" % tokens[0])
        return 0
    common.not_simulated("kubeadm", ["init", "phase"] + args)


# ------------------------------------------------------------------ join

def discover(join_cfg, api):
    bt = (join_cfg.get("discovery") or {}).get("bootstrapToken")
    if not bt:
        common.not_simulated("kubeadm", ["join", "(discovery without bootstrapToken)"])
    endpoint = bt.get("apiServerEndpoint", "")
    url = 'https://%s/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s' % endpoint
    if not api.get("controlPlanes") or endpoint not in api.get("endpoints", []):
        phase_error("preflight", 'couldn\'t validate the identity of the API Server: Get "%s": dial tcp %s: connect: '
                                 'connection refused' % (url, endpoint))
    token = bt.get("token", "")
    m = TOKEN.match(token)
    if not m:
        phase_error("preflight", 'the bootstrap token "%s" was not of the form "%s"' % (token, TOKEN.pattern))
    if token_hash(token) not in api.get("tokens", {}):
        phase_error("preflight", 'couldn\'t validate the identity of the API Server: could not find a JWS signature in '
                                 'the cluster-info ConfigMap for token ID "%s"' % m.group(1))
    pins = bt.get("caCertHashes") or []
    if not pins and not bt.get("unsafeSkipCAVerification"):
        phase_error("preflight", 'discovery.bootstrapToken: Invalid value: "": using token-based discovery without '
                                 'caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm '
                                 'config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue')
    if pins and api["caHash"] not in pins:
        phase_error("preflight", "couldn't validate the identity of the API Server: cluster CA found in cluster-info "
                                 "ConfigMap is invalid: none of the public keys \"%s\" are pinned" % api["caHash"])


def join(args, ctx):
    flags, positional = common.parse_flags(args, {"--config", "--ignore-preflight-errors", "--token",
                                                  "--discovery-token-ca-cert-hash", "--certificate-key", "--node-name",
                                                  "--cri-socket", "--apiserver-advertise-address", "--v"})
    cfg = Config(common.last(flags, "--config"))
    jc = dict(cfg.join)
    if not cfg.path:
        jc = {"discovery": {"bootstrapToken": {"apiServerEndpoint": positional[0] if positional else "",
                                               "token": common.last(flags, "--token", ""),
                                               "caCertHashes": flags.get("--discovery-token-ca-cert-hash", [])}},
              "nodeRegistration": {"name": common.last(flags, "--node-name"),
                                   "criSocket": common.last(flags, "--cri-socket")}}
        if "--control-plane" in flags:
            jc["controlPlane"] = {"certificateKey": common.last(flags, "--certificate-key"),
                                  "localAPIEndpoint": {"advertiseAddress": common.last(flags, "--apiserver-advertise-address")}}
    reg = jc.get("nodeRegistration") or {}
    join_api = cfg.api
    name = node_name(reg)
    cp = jc.get("controlPlane")
    api = common.read_api_state()
    is_stacked = api.get("stackedEtcd", True)
    local = (cp or {}).get("localAPIEndpoint") or {}
    bind_port = int(local.get("bindPort") or 6443)
    preflight("control-plane" if cp else "worker", cfg, reg, ignore_list(flags, reg), is_stacked and bool(cp), bind_port)
    discover(jc, api)
    common.out('[preflight] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...')
    existing = api.get("nodes", {}).get(name)
    # A Node object outlives `kubeadm reset`: joining again under its name needs `kubectl delete node` first.
    if existing and (existing["host"] != common.node()["name"] or not os.path.exists(K8S + "/kubelet.conf")):
        phase_error("kubelet-start", 'a Node with name "%s" and status "Ready" already exists in the cluster. You must '
                                     'delete the existing Node or change the name of this new joining Node' % name)
    if not cp:
        ctx.work()
        p = K8S + "/pki"
        common.write_file(p + "/ca.crt", api["caPem"], 0o644)
        write_node_kubeconfig(name, api)
        kubelet_start(cfg, api.get("kubeletConfig"), reg, "kubelet-start")
        with common.api_state() as state:
            state.setdefault("nodes", {})[name] = node_entry([], reg, join_api)
        common.out("\nThis node has joined the cluster:\n* Certificate signing request was sent to apiserver and a "
                   "response was received.\n* The Kubelet was informed of the new secure connection details.")
        return 0
    if not api.get("controlPlaneEndpoint"):
        phase_error("preflight", "\nOne or more conditions for hosting a new control plane instance is not satisfied.\n\n"
                                 "unable to add a new control plane instance to a cluster that doesn't have a stable "
                                 "controlPlaneEndpoint address")
    lock = open(common.CLUSTER_DIR + "/control-plane-join.lock", "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        phase_error("control-plane-join/etcd", "error creating local etcd static pod manifest file: etcdserver: "
                                               "unhealthy cluster (another control plane is joining at the same time)")
    ctx.work()
    p = K8S + "/pki"
    advertise = local.get("advertiseAddress") or common.node()["address"]
    key = (cp or {}).get("certificateKey")
    if key:
        download_certs(p, key, api)
    missing = [f for f in SHARED_CERTS if not os.path.exists("%s/%s" % (p, f))
               and (is_stacked or not f.startswith("etcd/ca.key"))]
    if missing:
        phase_error("control-plane-prepare/certs", "error creating PKI assets: failed to load shared certificates: "
                                                   "open %s/%s: no such file or directory" % (p, missing[0]))
    if pki.spki_hash(open(p + "/ca.crt", "rb").read()) != api["caHash"]:
        phase_error("control-plane-prepare/certs", "the CA certificate %s/ca.crt is not the cluster's" % p)
    cluster_name = api.get("clusterName", "kubernetes")
    cpe = api["controlPlaneEndpoint"]
    # A joining control plane takes the cluster's configuration from the kubeadm-config ConfigMap.
    cfg.docs["ClusterConfiguration"] = api.get("clusterConfiguration") or {"controlPlaneEndpoint": cpe}
    cfg.api = api.get("configApi", cfg.api)
    leaf_certs(cfg, p, name, advertise, cpe, is_stacked)
    ensure_kubeconfig(K8S + "/admin.conf", cluster_name, "https://" + cpe, p, "kubernetes-admin", ["kubeadm:cluster-admins"])
    ensure_kubeconfig(K8S + "/controller-manager.conf", cluster_name, "https://%s:%d" % (advertise, bind_port), p,
                      "system:kube-controller-manager", [], False)
    ensure_kubeconfig(K8S + "/scheduler.conf", cluster_name, "https://%s:%d" % (advertise, bind_port), p,
                      "system:kube-scheduler", [], False)
    if is_stacked:
        initial = add_etcd_member(name, advertise, api, p)
        etcd_manifest(cfg, p, name, advertise, initial, "existing")
    control_plane_manifests(cfg, p, advertise, bind_port, is_stacked)
    write_node_kubeconfig(name, api)
    kubelet_start(cfg, api.get("kubeletConfig"), reg, "kubelet-start")
    if is_stacked:
        wait_for_local_etcd()
    with common.api_state() as state:
        state.setdefault("nodes", {})[name] = node_entry(["control-plane"], reg, join_api)
        if name not in state["controlPlanes"]:
            state["controlPlanes"].append(name)
        state.setdefault("advertise", {})[name] = "%s:%d" % (advertise, bind_port)
        state["endpoints"] = dedupe(state["endpoints"] + ["%s:%d" % (advertise, bind_port)])
    common.out("\nThis node has joined the cluster and a new control plane instance was created:\n\n"
               "* Certificate signing request was sent to apiserver and approval was received.\n"
               "* The Kubelet was informed of the new secure connection details.\n"
               "* Control plane label and taint were applied to the new node.\n"
               "* The Kubernetes control plane instances scaled up.\n* A new etcd member was added to the local/stacked etcd cluster.")
    return 0


def download_certs(p, key, api):
    store = common.CLUSTER_DIR + "/kubeadm-certs"
    if not api.get("certificateKeyHash") or time.time_ns() - api.get("certsUploadedNs", 0) > CERTS_TTL_NS:
        phase_error("control-plane-prepare/download-certs", 'error downloading certs: error downloading the secret: '
                    'Secret "kubeadm-certs" was not found in the "kube-system" Namespace. This Secret might have '
                    'expired. Please, run `kubeadm init phase upload-certs --upload-certs` on a control plane to '
                    'generate a new one')
    if hashlib.sha256(key.encode()).hexdigest() != api["certificateKeyHash"]:
        phase_error("control-plane-prepare/download-certs", "error downloading certs: error decoding secret data with "
                                                            "provided key: cipher: message authentication failed")
    common.out('[download-certs] Downloading the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace')
    for path in glob.glob(store + "/**", recursive=True):
        if os.path.isfile(path):
            rel = os.path.relpath(path, store)
            common.write_file("%s/%s" % (p, rel), open(path, "rb").read(), 0o600 if rel.endswith(".key") else 0o644)


def write_node_kubeconfig(name, api):
    signing = common.CLUSTER_DIR + "/signing"
    path = K8S + "/kubelet.conf"
    pki.write_kubeconfig(path, api.get("clusterName", "kubernetes"), "https://" + api["endpoints"][0],
                         signing + "/ca.crt", signing + "/ca.key", "system:node:" + name, ["system:nodes"])


def add_etcd_member(name, advertise, api, p):
    """etcdctl member add through an existing member; reused when a killed join already added it."""
    host = "[%s]" % advertise if ":" in advertise else advertise
    peer = "https://%s:2380" % host
    clients = ["https://%s:2379" % api["advertise"][n].rsplit(":", 1)[0] for n in api["controlPlanes"]]
    members = etcdctl(clients, ["member", "list", "-w", "simple"], p)
    if members.returncode != 0:
        phase_error("control-plane-join/etcd", "error creating local etcd static pod manifest file: %s"
                    % (members.stderr.strip() or members.stdout.strip()))
    rows = [[c.strip() for c in line.split(",")] for line in members.stdout.strip().splitlines()]
    if not any(r[3] == peer for r in rows):
        common.out("[etcd] Announced new etcd member joining to the existing etcd cluster")
        # etcd refuses a member while the last one added is not yet active ("unhealthy cluster");
        # kubeadm retries with backoff for about half a minute, and so does this.
        deadline = time.monotonic() + 30
        while True:
            added = etcdctl(clients, ["member", "add", name, "--peer-urls=" + peer], p)
            if added.returncode == 0 or "unhealthy cluster" not in added.stderr or time.monotonic() > deadline:
                break
            time.sleep(1)
        if added.returncode != 0:
            phase_error("control-plane-join/etcd", "error creating local etcd static pod manifest file: %s"
                        % added.stderr.strip().splitlines()[-1])
        m = re.search(r'ETCD_INITIAL_CLUSTER="([^"]*)"', added.stdout)
        return m.group(1)
    common.out("[etcd] The etcd member already exists; using it")
    parts = ["%s=%s" % (r[2] or name, r[3]) for r in rows]
    return ",".join(parts)


# ------------------------------------------------------------------ reset

def klog_warning(where, message):
    """A klog warning line as kubeadm writes it to stderr."""
    now = time.time()
    common.err("W%s.%06d %7d %s] %s" % (time.strftime("%m%d %H:%M:%S", time.localtime(now)),
                                         int(now % 1 * 1e6), os.getpid(), where, message))


def reset_config(api):
    """The kubeadm-config reset reads through /etc/kubernetes/admin.conf: the cluster's
    ClusterConfiguration, or None (no kubeconfig, or an API server that is gone)."""
    path = K8S + "/admin.conf"
    if not os.path.exists(path):
        return None
    common.out('[reset] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...')
    try:
        server = pki.read_kubeconfig(path)[0] or ""
    except (ValueError, KeyError, OSError, yaml.YAMLError):
        server = ""
    hostport = server.split("://", 1)[-1].rstrip("/")
    if not api.get("controlPlanes") or hostport not in api.get("endpoints", []):
        klog_warning("reset.go:124", '[reset] Unable to fetch the kubeadm-config ConfigMap from cluster: failed to get '
                     'config map: Get "https://%s/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s":'
                     ' dial tcp %s: connect: connection refused' % (hostport, hostport))
        return None
    common.out("[reset] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.")
    return api.get("clusterConfiguration") or {}


def remove_etcd_member(api, names, p):
    """kubeadm's RemoveStackedEtcdMemberFromCluster with the real etcdctl: the member whose peer URL is
    this control plane's is removed through every stacked member's client URL. Returns the error
    message kubeadm would warn with, or None."""
    mine = [n for n in names if n in api.get("controlPlanes", [])]
    if not mine:
        return None
    advertise = api["advertise"][mine[0]].rsplit(":", 1)[0]
    host = "[%s]" % advertise if ":" in advertise else advertise
    clients = ["https://%s:2379" % api["advertise"][n].rsplit(":", 1)[0] for n in api["controlPlanes"]
               if n in api.get("advertise", {})]
    listed = etcdctl(clients, ["member", "list", "-w", "json"], p)
    if listed.returncode != 0:
        return etcdctl_error(listed)
    members = json.loads(listed.stdout).get("members", [])
    if len(members) == 1 and "https://%s:2379" % host in clients:
        return None  # the only remaining member: nothing to tell
    peer = "https://%s:2380" % host
    ids = [m["ID"] for m in members if peer in (m.get("peerURLs") or [])]
    if not ids:
        return None
    # kubeadm retries with backoff; etcd refuses ("unhealthy cluster") while a member joined under 5 s ago.
    deadline = time.monotonic() + 30
    while True:
        removed = etcdctl(clients, ["member", "remove", "%x" % ids[0]], p)
        problem = etcdctl_error(removed) if removed.returncode != 0 else None
        if problem is None or problem == "etcdserver: member not found":
            return None
        if time.monotonic() > deadline:
            return problem
        time.sleep(1)


def etcdctl_error(r):
    lines = [line for line in (r.stderr + r.stdout).strip().splitlines() if line.startswith("Error: ")]
    return lines[-1][len("Error: "):] if lines else (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1]


def reset(args, ctx):
    flags, _ = common.parse_flags(args, {"--config", "--cri-socket", "--v", "--ignore-preflight-errors",
                                         "--kubeconfig", "--cert-dir", "--skip-phases"}, {"--force": "-f"})
    api = common.read_api_state()
    cfg = reset_config(api)
    if "-f" not in flags:
        common.out("[reset] Are you sure you want to proceed? [y/N]: ")
        answer = ctx.stdin.read().decode(errors="replace").strip().lower()
        if answer not in ("y", "yes"):
            common.fail("error execution phase preflight: won't proceed; the user didn't answer (Y|y) in order to "
                        "continue", 1)
    common.out("[preflight] Running pre-flight checks")
    ctx.work()
    me = common.node()["name"]
    names = [n for n, e in api.get("nodes", {}).items() if e["host"] == me]
    p = K8S + "/pki"
    # remove-etcd-member: the data directory from the cluster's configuration, else the etcd manifest.
    local = ((cfg or {}).get("etcd") or {}).get("local") if cfg is not None else None
    if cfg is not None and "external" not in (cfg.get("etcd") or {}):
        data_dir = (local or {}).get("dataDir") or "/var/lib/etcd"
    else:
        klog_warning("removeetcdmember.go:106", "[reset] No kubeadm config, using etcd pod spec to get data directory")
        doc = pods.read_manifest(MANIFESTS + "/etcd.yaml") if os.path.exists(MANIFESTS + "/etcd.yaml") else None
        data_dir = next((v["hostPath"]["path"] for v in ((doc or {}).get("spec") or {}).get("volumes", [])
                         if v.get("name") == "etcd-data"), "/var/lib/etcd")
    if cfg is not None and api.get("stackedEtcd"):
        problem = remove_etcd_member(api, names, p)
        if problem:
            klog_warning("removeetcdmember.go:74", "[reset] Failed to remove etcd member: %s, please manually remove "
                                                   "this etcd member using etcdctl" % problem)
    common.out("[reset] Deleted contents of the etcd data directory: %s" % data_dir)
    common.out("[reset] Stopping the kubelet service")
    with common.node_state() as st:
        st.setdefault("units", {}).setdefault("kubelet", {}).update(active=False)
    pods.stop_all_pods()
    shutil.rmtree(data_dir, ignore_errors=True)
    common.out('[reset] Unmounting mounted directories in "/var/lib/kubelet"')
    common.out("[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]")
    for d in (MANIFESTS, KUBELET_DIR, p):
        for entry in glob.glob(d + "/*"):
            if os.path.isdir(entry) and not os.path.islink(entry):
                shutil.rmtree(entry)
            else:
                os.unlink(entry)
    for f in ("admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf", "controller-manager.conf",
              "scheduler.conf"):
        if os.path.exists(K8S + "/" + f):
            os.unlink(K8S + "/" + f)
    common.out("[reset] Deleting files: [/etc/kubernetes/admin.conf /etc/kubernetes/super-admin.conf "
               "/etc/kubernetes/kubelet.conf /etc/kubernetes/bootstrap-kubelet.conf "
               "/etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf]")
    with common.api_state() as state:
        cps = state.get("controlPlanes", [])
        for n in names:
            # The Node object stays (kubeadm reset never deletes it); its kubelet stops reporting.
            if n in state.get("nodes", {}):
                state["nodes"][n].update(kubeletUp=False, kubeletDownNs=time.time_ns())
            if n in cps:
                cps.remove(n)
                gone = state.get("advertise", {}).pop(n, None)
                if gone and gone != state.get("controlPlaneEndpoint"):
                    state["endpoints"] = [e for e in state.get("endpoints", []) if e != gone]
        if state.get("controlPlanes") == [] and names:
            state.clear()
    common.out("\nThe reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d\n\n"
               "The reset process does not reset or clean up iptables rules or IPVS tables.\n"
               "If you wish to reset iptables, you must do so manually by using the \"iptables\" command.\n\n"
               "If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)\n"
               "to reset your system's IPVS tables.\n\n"
               "The reset process does not clean your kubeconfig files and you must remove them manually.\n"
               "Please, check the contents of the $HOME/.kube/config file.")
    return 0
