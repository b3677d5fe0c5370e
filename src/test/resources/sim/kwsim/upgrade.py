"""kubeadm upgrade plan|apply|node, as kubeadm 1.3x does them (phased apply and node).

What they check, in kubeadm's order and words: a client from the kubeconfig (admin.conf, or
kubelet.conf for `upgrade node` on a worker), root, the cluster's health (CreateJob: a Ready,
schedulable Node a pod tolerating only the control-plane taint can run on; ControlPlaneNodesReady;
StaticPodManifest: this node's kube-apiserver, kube-controller-manager and kube-scheduler manifests),
then apply's version skew policy (mandatory: a minor skipped, a downgrade of more than one minor,
a target below kubeadm's minimum or a minor above kubeadm's own; skippable with --force: a patch
above kubeadm's, kubeadm's minor above the target's, kubelets more than three minors behind), and
without --yes/--force a "y" on stdin. `plan` checks health only and prints the plan (its Note when
kubeadm is older than the target, as the real one does: plan refuses no version).

What they change: the static pod manifests of this node (images at the version, the old ones
backed up under /etc/kubernetes/tmp/kubeadm-backup-manifests-DATE), restarted by the kubelet, which
must be running; stacked etcd when kubeadm's etcd tag for the version is newer than the running
one (its data directory backed up to /etc/kubernetes/tmp/kubeadm-backup-etcd-DATE/etcd first, the
real etcd restarted and waited for); /var/lib/kubelet/config.yaml from the cluster's kubelet
configuration; and, for apply, the cluster's version (kubeadm-config's kubernetesVersion and what
the API server reports). `upgrade node` upgrades a control plane to the cluster's version as
kubeadm-config says it, so before `upgrade apply` it leaves the images where they are; it refuses
only a cluster older than its kubeadm supports (one minor behind)."""
import os
import shutil
import sys
import time

import yaml

from . import common, kubeadm, pki, pods, systemd, workloads

K8S = kubeadm.K8S
MANIFESTS = kubeadm.MANIFESTS
COMPONENTS = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"]
KUBELET_SKEW = 3
STACK = "To see the stack trace of this error execute with --v=5 or higher"
COMMON_FLAGS = {"--config", "--ignore-preflight-errors", "--kubeconfig", "--v", "--rootfs"}
FLAGS = {
    "plan": COMMON_FLAGS | {"--allow-experimental-upgrades", "--allow-release-candidate-upgrades", "--print-config",
                            "--feature-gates", "-o", "--output", "--show-managed-fields", "--allow-missing-template-keys"},
    "apply": COMMON_FLAGS | {"--allow-experimental-upgrades", "--allow-release-candidate-upgrades", "--print-config",
                             "--feature-gates", "-y", "--yes", "-f", "--force", "--dry-run", "--etcd-upgrade",
                             "--certificate-renewal", "--patches", "--skip-phases"},
    "node": COMMON_FLAGS | {"--dry-run", "--etcd-upgrade", "--certificate-renewal", "--patches", "--skip-phases"},
}
NOT_SIMULATED = {"--dry-run", "--patches", "--feature-gates", "-o", "--output", "--skip-phases",
                 "--print-config"}


def upgrade(args, ctx):
    if not args or args[0] not in FLAGS:
        common.not_simulated("kubeadm", ["upgrade"] + args)
    verb = args[0]
    flags, words = common.parse_flags(args[1:], {"--config", "--ignore-preflight-errors", "--kubeconfig", "--v",
                                                 "--rootfs", "--feature-gates", "-o", "--output", "--patches",
                                                 "--skip-phases"},
                                      {"--yes": "-y", "--force": "-f", "--output": "-o"})
    for f in flags:
        if f not in FLAGS[verb]:
            common.fail("unknown flag: %s\n%s" % (f, STACK), 1)
        if f in NOT_SIMULATED:
            common.not_simulated("kubeadm", ["upgrade", verb, f])
    ignore = set()
    for v in flags.get("--ignore-preflight-errors", []):
        ignore.update(i.strip().lower() for i in v.split(","))
    cfg = configuration(flags, verb)
    if cfg is not None:
        for v in cfg.get("ignorePreflightErrors") or []:
            ignore.add(str(v).strip().lower())
        if verb in ("plan", "apply") and not words and cfg.get("kubernetesVersion"):
            words = [str(cfg["kubernetesVersion"])]
        if verb == "apply" and cfg.get("forceUpgrade"):
            flags["-f"] = [True]
        if "etcdUpgrade" in cfg:
            flags["--etcd-upgrade"] = ["true" if cfg["etcdUpgrade"] else "false"]
    if verb == "plan":
        return plan(flags, words, ignore)
    if verb == "apply":
        return apply(flags, words, ignore, ctx)
    return node(flags, words, ignore, ctx)


# ------------------------------------------------------------------ --config

# kubeadm's ValidateMixedArguments: what may stand beside --config (kubeadm 1.31 added --yes to it).
MIXABLE = {"--config", "--ignore-preflight-errors", "--dry-run", "--kubeconfig", "--v", "--rootfs", "--log-file"}
FLAG_NAMES = {"-y": "yes", "-f": "force", "-o": "output"}
SECTIONS = {
    "apply": {"kubernetesVersion", "allowExperimentalUpgrades", "allowRCUpgrades", "certificateRenewal", "dryRun",
              "etcdUpgrade", "forceUpgrade", "ignorePreflightErrors", "patches", "printConfig", "skipPhases",
              "imagePullPolicy", "imagePullSerial"},
    "node": {"certificateRenewal", "dryRun", "etcdUpgrade", "ignorePreflightErrors", "skipPhases", "patches",
             "imagePullPolicy", "imagePullSerial"},
    "plan": {"kubernetesVersion", "allowExperimentalUpgrades", "allowRCUpgrades", "dryRun", "ignorePreflightErrors",
             "printConfig"},
    "diff": {"kubernetesVersion", "contextLines"},
}
NOT_SIMULATED_FIELDS = {"dryRun", "patches", "skipPhases", "printConfig", "allowExperimentalUpgrades", "allowRCUpgrades"}


def configuration(flags, verb):
    """The --config file's UpgradeConfiguration section for this verb (kubeadm 1.31+, v1beta4), or None."""
    path = common.last(flags, "--config")
    if path is None:
        return None
    mine = numbers(kubeadm.own_version())
    mixable = MIXABLE | ({"-y"} if mine >= (1, 31, 0) else set())
    mixed = sorted(FLAG_NAMES.get(f, f.lstrip("-")) for f in flags if f not in mixable and not f.startswith("--skip-"))
    if mixed:
        common.fail("can not mix '--config' with arguments [%s]\n%s" % (" ".join(mixed), STACK), 1)
    try:
        with open(path) as f:
            docs = [d for d in yaml.safe_load_all(f) if d]
    except FileNotFoundError:
        common.fail("unable to read config from \"%s\" : open %s: no such file or directory\n%s" % (path, path, STACK), 1)
    except yaml.YAMLError as e:
        common.fail("error converting YAML to JSON: %s\n%s" % (str(e).splitlines()[0], STACK), 1)
    for d in docs:
        if d.get("kind") != "UpgradeConfiguration":
            continue
        api = d.get("apiVersion")
        if api != "kubeadm.k8s.io/v1beta4" or mine < (1, 31, 0):
            common.fail('no kind "UpgradeConfiguration" is registered for version "%s" in scheme '
                        '"k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"\n%s' % (api, STACK), 1)
        for key in d:
            if key not in ("apiVersion", "kind", "timeouts") and key not in SECTIONS:
                common.err('W%s strict decoding error: unknown field "%s"' % (time.strftime("%m%d %H:%M:%S"), key))
        section = d.get(verb) or {}
        for key in section:
            if key not in SECTIONS[verb]:
                common.err('W%s strict decoding error: unknown field "%s.%s"' % (time.strftime("%m%d %H:%M:%S"), verb, key))
            elif key in NOT_SIMULATED_FIELDS and section[key]:
                common.not_simulated("kubeadm", ["upgrade", verb, "--config", "(%s.%s)" % (verb, key)])
        return section
    common.fail("no UpgradeConfiguration found in %s: kubeadm upgrade reads only that kind\n%s" % (path, STACK), 1)


# ------------------------------------------------------------------ shared

def version(text):
    """A version argument as kubeadm normalises it ("1.36.1" is "v1.36.1"), and its numbers."""
    v = text if text.startswith("v") else "v" + text
    parts = v[1:].split(".")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        common.not_simulated("kubeadm", ["upgrade", "(version %s: only released x.y.z versions)" % text])
    return v, tuple(int(p) for p in parts)


def numbers(v):
    return tuple(int(p) for p in v.lstrip("v").split("-", 1)[0].split("."))


def client(path):
    """The API server as the kubeconfig reaches it (kubeadm's client for the upgrade)."""
    if not os.path.exists(path):
        common.fail('couldn\'t create a Kubernetes client from file "%s": failed to load admin kubeconfig: open %s: no '
                    'such file or directory\n%s' % (path, path, STACK), 1)
    try:
        server = pki.read_kubeconfig(path)[0] or ""
    except (ValueError, KeyError, OSError, yaml.YAMLError) as e:
        common.fail('couldn\'t create a Kubernetes client from file "%s": %s\n%s' % (path, e, STACK), 1)
    hostport = server.split("://", 1)[-1].rstrip("/")
    api = common.read_api_state()
    if not api.get("controlPlanes") or hostport not in api.get("endpoints", []):
        common.fail('unable to fetch the kubeadm-config ConfigMap: failed to get config map: Get "https://%s/api/v1/'
                    'namespaces/kube-system/configmaps/kubeadm-config?timeout=10s": dial tcp %s: connect: connection '
                    'refused\n%s' % (hostport, hostport, STACK), 1)
    return api


def reading_config(prefix):
    common.out('[%s] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...' % prefix)
    common.out("[%s] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it." % prefix)


def fatal_checks(errors, ignore):
    """kubeadm's preflight report: ignored errors are warnings (stderr); the message of the others, or None."""
    fatal = []
    for name, message in errors:
        if "all" in ignore or name.lower() in ignore:
            common.err("\t[WARNING %s]: %s" % (name, message))
        else:
            fatal.append((name, message))
    if not fatal:
        return None
    return ("[preflight] Some fatal errors occurred:\n" + "".join("\t[ERROR %s]: %s\n" % e for e in fatal)
            + "[preflight] If you know what you are doing, you can make a check non-fatal with "
              "`--ignore-preflight-errors=...`")


def root_errors():
    return [("IsPrivilegedUser", "user is not running as root")] if os.getuid() != 0 else []


def health_errors(api):
    """upgrade.CheckClusterHealth: CreateJob, ControlPlaneNodesReady, StaticPodManifest."""
    errors = []
    nodes = api.get("nodes", {})

    def runs_job(n):
        return workloads.node_ready(api, n) and not nodes[n].get("unschedulable") and all(
            t.get("key") == "node-role.kubernetes.io/control-plane" and t.get("effect") == "NoSchedule"
            for t in workloads.taints(api, n))

    if not any(runs_job(n) for n in nodes):
        errors.append(("CreateJob", 'Job "upgrade-health-check-%d" in the namespace "kube-system" did not complete in '
                                    '15s: no condition of type Complete' % (time.time_ns() // 10 ** 6)))
    not_ready = [n for n in sorted(nodes) if "control-plane" in nodes[n].get("roles", [])
                 and not workloads.node_ready(api, n)]
    if not_ready:
        errors.append(("ControlPlaneNodesReady", "there are NotReady control-planes in the cluster: [%s]"
                       % " ".join(not_ready)))
    missing = ["%s/%s.yaml" % (MANIFESTS, c) for c in COMPONENTS if not os.path.exists("%s/%s.yaml" % (MANIFESTS, c))]
    if missing:
        errors.append(("StaticPodManifest", "The control plane seems to be Static Pod-hosted, but some of the manifests "
                                            "don't seem to exist on disk. This probably means you're running 'kubeadm "
                                            "upgrade' on a remote machine, which is not supported for a Static "
                                            "Pod-hosted cluster. Manifest files not found: [%s]" % " ".join(missing)))
    return errors


def image_of(path):
    doc = pods.read_manifest(path)
    return doc["spec"]["containers"][0].get("image", "") if doc else ""


def tag_of(image):
    return image.rsplit(":", 1)[1] if ":" in image.rsplit("/", 1)[-1] else ""


def my_node_name(api):
    me = common.node()["name"]
    return next((n for n, e in sorted(api.get("nodes", {}).items()) if e.get("host") == me), me)


def table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        common.out("   ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())


# ------------------------------------------------------------------ plan

def plan(flags, words, ignore):
    api = client(common.last(flags, "--kubeconfig") or K8S + "/admin.conf")
    common.out("[preflight] Running pre-flight checks.")
    problem = fatal_checks(root_errors(), ignore)
    if problem:
        common.fail("%s\n%s" % (problem, STACK), 1)
    reading_config("upgrade/config")
    common.out("[upgrade] Running cluster health checks")
    problem = fatal_checks(health_errors(api), ignore)
    if problem:
        common.fail("[upgrade/health] FATAL: %s\n%s" % (problem, STACK), 1)
    cluster = api.get("kubernetesVersion")
    mine = kubeadm.own_version()
    common.out("[upgrade] Fetching available versions to upgrade to")
    common.out("[upgrade/versions] Cluster version: %s" % cluster)
    common.out("[upgrade/versions] kubeadm version: %s" % mine)
    if words:
        target, _ = version(words[0])
    else:
        # no internet: kubeadm falls back to its own version as the latest stable one
        common.err('W%s [upgrade/versions] could not fetch a Kubernetes version from the internet: unable to get URL '
                   '"https://dl.k8s.io/release/stable.txt": Get "https://dl.k8s.io/release/stable.txt": dial tcp: lookup '
                   'dl.k8s.io: no such host' % time.strftime("%m%d %H:%M:%S"))
        common.out("[upgrade/versions] Target version: %s" % mine)
        target = mine
    if numbers(target) <= numbers(cluster):
        common.out("Awesome, you're up-to-date! Enjoy!")
        return 0
    nodes = api.get("nodes", {})
    kubelets = [("COMPONENT", "NODE", "CURRENT", "TARGET")] + [
        ("kubelet", n, nodes[n].get("kubeletVersion", ""), target) for n in sorted(nodes)]
    common.out("Components that must be upgraded manually after you have upgraded the control plane with "
               "'kubeadm upgrade apply':")
    table(kubelets)
    same_minor = numbers(target)[1] == numbers(cluster)[1]
    common.out("\nUpgrade to the latest %s:\n" % ("version in the v1.%d series" % numbers(cluster)[1] if same_minor
                                                  else "stable version"))
    rows = [("COMPONENT", "NODE", "CURRENT", "TARGET")]
    static = api.get("staticPods", {})
    control_planes = [n for n in api.get("controlPlanes", []) if n in nodes]
    for c in COMPONENTS:
        for n in control_planes:
            current = tag_of((static.get(nodes[n].get("host")) or {}).get(c, {}).get("image", ""))
            rows.append((c, n, current, target))
    rows.append(("kube-proxy", "", cluster.lstrip("v"), target))
    rows.append(("CoreDNS", "", "v1.12.1", "v1.12.1"))
    if api.get("stackedEtcd"):
        for n in control_planes:
            current = tag_of((static.get(nodes[n].get("host")) or {}).get("etcd", {}).get("image", ""))
            rows.append(("etcd", n, current, desired_etcd_tag(api, target)))
    table(rows)
    common.out("\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade apply %s\n"
               % target)
    if numbers(mine) < numbers(target):
        common.out("Note: Before you can perform this upgrade, you have to update kubeadm to %s.\n" % target)
    common.out("_" * 69)
    return 0


# ------------------------------------------------------------------ apply

def policy(target, cluster, mine, kubelets):
    """upgrade.EnforceVersionPolicies: (mandatory, skippable) messages."""
    t, c, k = numbers(target), numbers(cluster), numbers(mine)
    mandatory, skippable = [], []
    minimum = (k[0], k[1] - 1, 0)
    if t < minimum:
        mandatory.append('Specified version to upgrade to "%s" is equal to or lower than the minimum supported version '
                         '"%s". Please specify a higher version to upgrade to' % (target, cluster))
    if t[1] > c[1] + 1:
        mandatory.append('Specified version to upgrade to "%s" is too high; kubeadm can upgrade only 1 minor version at '
                         'a time' % target)
    if t[1] < c[1] - 1:
        mandatory.append('Specified version to downgrade to "%s" is too low; kubeadm can downgrade only 1 minor version '
                         'at a time' % target)
    if k < t:
        if t[1] > k[1]:
            mandatory.append('Specified version to upgrade to "%s" is at least one minor release higher than the kubeadm '
                             'minor release (%d > %d). Such an upgrade is not supported' % (target, t[1], k[1]))
        else:
            skippable.append('Specified version to upgrade to "%s" is higher than the kubeadm version "%s". Upgrade '
                             'kubeadm first using the tool you used to install kubeadm' % (target, mine))
    if k[0] > t[0] or k[1] > t[1]:
        skippable.append("Kubeadm version %s can only be used to upgrade to Kubernetes version %d.%d"
                         % (mine, k[0], k[1]))
    old = sorted({v for v in kubelets if v and t[1] > numbers(v)[1] + KUBELET_SKEW})
    if old:
        skippable.append("There are kubelets in this cluster that are too old that have these versions [%s]"
                         % " ".join(old))
    return mandatory, skippable


def listed(errors):
    """kubeadmutil.FormatErrMsg."""
    return "".join("\t- %s\n" % e for e in errors)


def apply(flags, words, ignore, ctx):
    api = client(common.last(flags, "--kubeconfig") or K8S + "/admin.conf")
    reading_config("upgrade")
    common.out("[preflight] Running preflight checks")
    problem = fatal_checks(root_errors(), ignore)
    if problem:
        kubeadm.phase_error("preflight", problem)
    common.out("[upgrade] Running cluster health checks")
    problem = fatal_checks(health_errors(api), ignore)
    if problem:
        kubeadm.phase_error("preflight", problem)
    if not words:
        common.not_simulated("kubeadm", ["upgrade", "apply", "(without a version)"])
    target, _ = version(words[0])
    cluster = api.get("kubernetesVersion")
    mine = kubeadm.own_version()
    common.out('[upgrade/version] You have chosen to upgrade the cluster version to "%s"' % target)
    common.out("[upgrade/versions] Cluster version: %s" % cluster)
    common.out("[upgrade/versions] kubeadm version: %s" % mine)
    mandatory, skippable = policy(target, cluster, mine,
                                  [e.get("kubeletVersion") for e in api.get("nodes", {}).values()])
    force = "-f" in flags
    if mandatory:
        kubeadm.phase_error("preflight", "the version argument is invalid due to these fatal errors:\n\n%s\nPlease fix "
                                         "the misalignments highlighted above and try upgrading again" % listed(mandatory))
    if skippable and not force:
        kubeadm.phase_error("preflight", "the version argument is invalid due to these errors:\n\n%s\nCan be bypassed "
                                         "if you pass the --force flag" % listed(skippable))
    if skippable:
        common.out("[upgrade/version] Found %d potential version compatibility errors but skipping since the --force "
                   "flag is set: \n\n%s" % (len(skippable), listed(skippable)))
    if "-y" not in flags and not force:
        sys.stdout.write("[upgrade] Are you sure you want to proceed? [y/N]: ")
        sys.stdout.flush()
        answer = ctx.stdin.read().decode(errors="replace").splitlines()
        if not answer or answer[0].strip().lower() not in ("y", "yes"):
            kubeadm.phase_error("preflight", "won't proceed; the user didn't answer (Y|y) in order to continue")
    common.out("[preflight] Pulling images required for setting up a Kubernetes cluster")
    common.out("[preflight] This might take a minute or two, depending on the speed of your internet connection")
    common.out("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'")
    ctx.work()
    common.out('[upgrade/control-plane] Upgrading your static Pod-hosted control plane to version "%s" (timeout: '
               '5m0s)...' % target)
    static_pods(api, target, common.last(flags, "--etcd-upgrade", "true") != "false")
    common.out("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!")
    with common.api_state() as state:
        state["kubernetesVersion"] = target
        state.setdefault("clusterConfiguration", {})["kubernetesVersion"] = target
    common.out('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" '
               'Namespace')
    common.out('[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for '
               'the kubelets in the cluster')
    kubelet_config(api)
    common.out("[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!")
    common.out("[upgrade/bootstrap-token] Configuring bootstrap token and cluster-info RBAC rules")
    common.out("[addons] Applied essential addon: CoreDNS")
    if any(o["kind"] == "DaemonSet" and o["name"] == "kube-proxy" for o in api.get("objects", [])):
        common.out("[addons] Applied essential addon: kube-proxy")
    common.out('\n[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "%s".\n\n[upgrade] Now please '
               'proceed with upgrading the rest of the nodes by following the right order.' % target)
    return 0


# ------------------------------------------------------------------ node

def node(flags, words, ignore, ctx):
    if words:
        common.fail('unknown command "%s" for "kubeadm upgrade node"\n%s' % (words[0], STACK), 1)
    control_plane = os.path.exists(MANIFESTS + "/kube-apiserver.yaml")
    default = K8S + ("/admin.conf" if control_plane else "/kubelet.conf")
    api = client(common.last(flags, "--kubeconfig") or default)
    reading_config("upgrade")
    target = (api.get("clusterConfiguration") or {}).get("kubernetesVersion") or api.get("kubernetesVersion")
    target, numbers_of = version(target)
    mine = numbers(kubeadm.own_version())
    if numbers_of < (mine[0], mine[1] - 1, 0):
        common.fail("this version of kubeadm only supports deploying clusters with the control plane version >= "
                    "%d.%d.0. Current version: %s\n%s" % (mine[0], mine[1] - 1, target, STACK), 1)
    common.out("[upgrade/preflight] Running pre-flight checks")
    problem = fatal_checks(root_errors(), ignore)
    if problem:
        kubeadm.phase_error("preflight", problem)
    if control_plane:
        common.out("[upgrade/preflight] Pulling images required for setting up a Kubernetes cluster")
        common.out("[upgrade/preflight] This might take a minute or two, depending on the speed of your internet "
                   "connection")
        common.out("[upgrade/preflight] You can also perform this action beforehand using 'kubeadm config images pull'")
    else:
        common.out("[upgrade/preflight] Skipping prepull. Not a control plane node.")
    ctx.work()
    if control_plane:
        common.out('[upgrade/control-plane] Upgrading your Static Pod-hosted control plane instance to version "%s"...'
                   % target)
        static_pods(api, target, common.last(flags, "--etcd-upgrade", "true") != "false")
        common.out("[upgrade/control-plane] The control plane instance for this node was successfully upgraded!")
    else:
        common.out("[upgrade/control-plane] Skipping phase. Not a control plane node.")
    kubelet_config(api)
    common.out("[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!")
    common.out("[upgrade] The configuration for this node was successfully updated!\n[upgrade] Now you should go ahead "
               "and upgrade the kubelet package using your package manager.")
    return 0


# ------------------------------------------------------------------ what both change

def desired_etcd_tag(api, target):
    local = ((api.get("clusterConfiguration") or {}).get("etcd") or {}).get("local") or {}
    return local.get("imageTag") or kubeadm.etcd_tag(target)


def etcd_numbers(tag):
    return tuple(int(p) for p in tag.split("-", 1)[0].split(".") if p.isdigit())


def static_pods(api, target, etcd_upgrade):
    """PerformStaticPodUpgrade on this node: etcd (stacked, when its tag moves forward), then the
    control-plane components, each manifest backed up, rewritten and restarted by the kubelet."""
    stamp = time.strftime("%Y-%m-%d-%H-%M-%S")
    backups = "%s/tmp/kubeadm-backup-manifests-%s" % (K8S, stamp)
    common.out('[upgrade/staticpods] Writing new Static Pod manifests to "%s/tmp/kubeadm-upgraded-manifests%s"'
               % (K8S, time.strftime("%H%M%S")))
    moved = []
    etcd = MANIFESTS + "/etcd.yaml"
    if os.path.exists(etcd) and etcd_upgrade:
        common.out('[upgrade/staticpods] Preparing for "etcd" upgrade')
        current = tag_of(image_of(etcd))
        desired = desired_etcd_tag(api, target)
        if etcd_numbers(desired) > etcd_numbers(current):
            doc = pods.read_manifest(etcd)
            data = next((v["hostPath"]["path"] for v in doc["spec"].get("volumes", []) if v.get("name") == "etcd-data"),
                        "/var/lib/etcd")
            backup = "%s/tmp/kubeadm-backup-etcd-%s/etcd" % (K8S, stamp)
            shutil.copytree(data, backup)
            common.out('[upgrade/etcd] Backing up etcd data to "%s"' % backup)
            rewrite(etcd, desired, backups, moved)
            check_kubelet(moved, backups)
            pods.sync_static_pods()
            kubeadm.wait_for_local_etcd()
            common.out('[upgrade/staticpods] Component "etcd" upgraded successfully!')
        elif etcd_numbers(desired) == etcd_numbers(current):
            common.out("[upgrade/staticpods] Current and new manifests of etcd are equal, skipping upgrade")
        else:
            common.out('[upgrade/etcd] Non fatal issue encountered during upgrade: the desired etcd version "%s" is '
                       'older than the currently installed "%s". Skipping etcd upgrade' % (desired, current))
    for c in COMPONENTS:
        path = "%s/%s.yaml" % (MANIFESTS, c)
        common.out('[upgrade/staticpods] Preparing for "%s" upgrade' % c)
        if not rewrite(path, target, backups, moved):
            common.out("[upgrade/staticpods] Current and new manifests of %s are equal, skipping upgrade" % c)
            continue
        check_kubelet(moved, backups)
        pods.sync_static_pods()
        common.out('[upgrade/staticpods] Component "%s" upgraded successfully!' % c)


def rewrite(path, tag, backups, moved):
    """The manifest with its image at `tag`, the old one backed up; False when it already is."""
    doc = pods.read_manifest(path)
    container = doc["spec"]["containers"][0]
    image = container.get("image", "")
    new = "%s:%s" % (image.rsplit(":", 1)[0] if tag_of(image) else image, tag)
    if image == new:
        return False
    name = os.path.basename(path)
    common.out('[upgrade/staticpods] Moving new manifest to "%s" and backing up old manifest to "%s/%s"'
               % (path, backups, name))
    os.makedirs(backups, exist_ok=True)
    shutil.copy2(path, "%s/%s" % (backups, name))
    container["image"] = new
    common.write_file(path, yaml.safe_dump(doc, sort_keys=False), 0o600)
    moved.append(path)
    common.out("[upgrade/staticpods] Waiting for the kubelet to restart the component")
    common.out("[upgrade/staticpods] This can take up to 5m0s")
    return True


def check_kubelet(moved, backups):
    """kubeadm waits for the kubelet to restart the component (its mirror pod's hash to change); with
    no kubelet running it never does, and kubeadm puts the old manifests back."""
    if systemd.is_active("kubelet"):
        return
    for path in moved:
        shutil.copy2("%s/%s" % (backups, os.path.basename(path)), path)
    component = os.path.basename(moved[-1])[:-len(".yaml")]
    api = common.read_api_state()
    kubeadm.phase_error("control-plane", "couldn't complete the static pod upgrade: couldn't upgrade control plane. "
                                         "kubeadm has tried to recover everything into the earlier state. Errors faced: "
                                         "failed to obtain static Pod hash for component %s on Node %s: context "
                                         "deadline exceeded" % (component, my_node_name(api)))


def kubelet_config(api):
    """The kubelet-config phase: the cluster's KubeletConfiguration written for this node's kubelet."""
    config = dict(api.get("kubeletConfig") or {"apiVersion": "kubelet.config.k8s.io/v1beta1",
                                                 "kind": "KubeletConfiguration"})
    config.setdefault("cgroupDriver", "systemd")
    stamp = time.strftime("%Y-%m-%d-%H-%M-%S")
    path = kubeadm.KUBELET_DIR + "/config.yaml"
    if os.path.exists(path):
        backup = "%s/tmp/kubeadm-kubelet-config-%s/config.yaml" % (K8S, stamp)
        common.out("[upgrade] Backing up kubelet config file to %s" % backup)
        os.makedirs(os.path.dirname(backup), exist_ok=True)
        shutil.copy2(path, backup)
    common.write_file(path, yaml.safe_dump(config, sort_keys=False), 0o644)
    common.out('[kubelet-start] Writing kubelet configuration to file "%s"' % path)
