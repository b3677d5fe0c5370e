"""kubeadm kubeconfig user, as kubeadm 1.3x runs it on a control plane.

It signs a client certificate (CN --client-name, one O per --org, client auth, valid for
--validity-period, default 8760h) with the node's /etc/kubernetes/pki/ca.key (or certificatesDir of
--config) and prints the kubeconfig, key included, on stdout: the context "<client>@<clusterName>",
the server controlPlaneEndpoint or else the API endpoint. Like kubeadm it refuses unknown flags, a
missing --client-name, a --config that is no kubeadm configuration, and a CA whose key it cannot
read. --token (a token kubeconfig) is not simulated."""
import os
import re
import tempfile

import yaml

from . import common, pki

STACK = "To see the stack trace of this error execute with --v=5 or higher"
WITH_VALUE = {"--config", "--client-name", "--org", "--validity-period", "--token", "--v", "-v"}
APIS = ("kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4")


def kubeconfig(args, ctx):
    if not args or args[0] != "user":
        common.not_simulated("kubeadm", ["kubeconfig"] + args)
    for a in args[1:]:
        if a.startswith("-") and a.partition("=")[0] not in WITH_VALUE:
            common.fail("unknown flag: %s\n%s" % (a.partition("=")[0], STACK), 1)
    flags, words = common.parse_flags(args[1:], WITH_VALUE)
    if words:
        common.fail('unknown command "%s" for "kubeadm kubeconfig user"\n%s' % (words[0], STACK), 1)
    if "--client-name" not in flags:
        common.fail('required flag(s) "client-name" not set\n%s' % STACK, 1)
    if "--token" in flags:
        common.not_simulated("kubeadm", ["kubeconfig"] + args)
    name = common.last(flags, "--client-name")
    orgs = flags.get("--org", [])
    days = validity_days(common.last(flags, "--validity-period", "8760h"))
    cluster, endpoint, certs_dir = "kubernetes", None, "/etc/kubernetes/pki"
    config = common.last(flags, "--config")
    if config is not None:
        cluster, endpoint, certs_dir = read_config(config, cluster, certs_dir)
    ctx.work()
    ca_crt, ca_key = certs_dir + "/ca.crt", certs_dir + "/ca.key"
    for f in (ca_crt, ca_key):
        if not os.path.exists(f):
            common.fail("couldn't create a kubeconfig; the CA files couldn't be loaded: open %s: no such file or "
                        "directory\n%s" % (f, STACK), 1)
        if not os.access(f, os.R_OK):
            common.fail("couldn't create a kubeconfig; the CA files couldn't be loaded: open %s: permission denied\n%s"
                        % (f, STACK), 1)
    if endpoint is None:
        api = common.read_api_state()
        endpoint = (api.get("endpoints") or ["127.0.0.1:6443"])[0]
    server = "https://" + endpoint if ":" in endpoint.rsplit("]", 1)[-1] else "https://%s:6443" % endpoint
    with tempfile.TemporaryDirectory() as tmp:
        key = tmp + "/client.key"
        cert = pki.sign(tmp + "/client.crt", key, ca_crt, ca_key, name, orgs, client=True, days=days)
        text = pki.kubeconfig(cluster, server, open(ca_crt, "rb").read(), name, cert, open(key, "rb").read())
    common.out(text.rstrip("\n"))
    return 0


def validity_days(text):
    m = re.fullmatch(r"(\d+)h(0m(0s)?)?", text)
    if not m:
        if re.fullmatch(r"[0-9.]+(ns|us|ms|s|m|h)([0-9.]+(ns|us|ms|s|m|h))*", text):
            common.not_simulated("kubeadm", ["kubeconfig", "user", "--validity-period", text])
        common.fail('invalid argument "%s" for "--validity-period" flag: time: invalid duration "%s"\n%s'
                    % (text, text, STACK), 1)
    hours = int(m.group(1))
    if hours % 24:
        common.not_simulated("kubeadm", ["kubeconfig", "user", "--validity-period", text])
    return hours // 24


def read_config(path, cluster, certs_dir):
    try:
        docs = [d for d in yaml.safe_load_all(common.read_file(path)) if d]
    except (OSError, yaml.YAMLError) as e:
        common.fail("unable to read config from %q: %s\n%s".replace("%q", '"%s"') % (path, e, STACK), 1)
    endpoint = None
    found = False
    for d in docs:
        if d.get("apiVersion") not in APIS:
            common.fail('no kind "%s" is registered for version "%s"\n%s' % (d.get("kind"), d.get("apiVersion"), STACK), 1)
        if d.get("kind") == "ClusterConfiguration":
            found = True
            cluster = d.get("clusterName") or cluster
            endpoint = d.get("controlPlaneEndpoint") or None
            certs_dir = d.get("certificatesDir") or certs_dir
        elif d.get("kind") == "InitConfiguration":
            found = True
    if not found:
        common.fail("no InitConfiguration or ClusterConfiguration kind was found in the YAML file\n%s" % STACK, 1)
    return cluster, endpoint, certs_dir
