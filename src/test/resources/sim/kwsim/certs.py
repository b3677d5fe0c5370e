"""kubeadm certs renew, as kubeadm 1.3x does it on a control plane.

`renew all` (or one name) re-signs every certificate kubeadm manages that is on the node, with its
key, subject, SANs and usages kept and a year's validity from now, by the CA on the node; and the
client certificates embedded in admin.conf, super-admin.conf, controller-manager.conf and
scheduler.conf. It needs root and each CA's key (an external CA, whose key is not on the node, is
refused as kubeadm refuses it). The running static pods keep serving the old certificates: only a
restart (the manifest moved out and back) loads the new ones, and kubeadm says so. The time of the
renewal is kept in the node's state (`certsRenewedNs`) for tests to compare with the pods' starts."""
import base64
import os
import secrets
import tempfile
import time

import yaml

from . import common, pki

K8S = "/etc/kubernetes"
PKI = K8S + "/pki"
STACK = "To see the stack trace of this error execute with --v=5 or higher"
# name, CA, what kubeadm calls it
LEAVES = [
    ("apiserver", "ca", "certificate for serving the Kubernetes API"),
    ("apiserver-etcd-client", "etcd/ca", "certificate the apiserver uses to access etcd"),
    ("apiserver-kubelet-client", "ca", "certificate for the API server to connect to kubelet"),
    ("etcd/healthcheck-client", "etcd/ca", "certificate for liveness probes to healthcheck etcd"),
    ("etcd/peer", "etcd/ca", "certificate for etcd nodes to communicate with each other"),
    ("etcd/server", "etcd/ca", "certificate for serving etcd"),
    ("front-proxy-client", "front-proxy-ca", "certificate for the front proxy client"),
]
KUBECONFIGS = [
    ("admin.conf", "certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself"),
    ("super-admin.conf", "certificate embedded in the kubeconfig file for the super-admin"),
    ("controller-manager.conf", "certificate embedded in the kubeconfig file for the controller manager to use"),
    ("scheduler.conf", "certificate embedded in the kubeconfig file for the scheduler manager to use"),
]
NAMES = {n: n.replace("/", "-") for n, _, _ in LEAVES}


def certs(args, ctx):
    if not args or args[0] != "renew":
        common.not_simulated("kubeadm", ["certs"] + args)
    words = [a for a in args[1:] if not a.startswith("-")]
    flags = [a for a in args[1:] if a.startswith("-")]
    if flags:
        common.not_simulated("kubeadm", ["certs", "renew"] + flags)
    known = ["all"] + [NAMES[n] for n, _, _ in LEAVES] + [k for k, _ in KUBECONFIGS]
    if len(words) != 1 or words[0] not in known:
        common.fail('unknown command "%s" for "kubeadm certs renew"\n%s' % (" ".join(words), STACK), 1)
    if os.getuid() != 0:
        common.fail("[preflight] Some fatal errors occurred:\n\t[ERROR IsPrivilegedUser]: user is not running as root\n%s"
                    % STACK, 1)
    which = words[0]
    common.out("[renew] Reading configuration from the cluster...")
    common.out("[renew] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'")
    common.out("")
    ctx.work()
    for name, ca, what in LEAVES:
        if which not in ("all", NAMES[name]):
            continue
        crt, key = "%s/%s.crt" % (PKI, name), "%s/%s.key" % (PKI, name)
        if not os.path.exists(crt):
            continue
        ca_crt, ca_key = "%s/%s.crt" % (PKI, ca), "%s/%s.key" % (PKI, ca)
        if ca == "etcd/ca" and not os.path.exists(K8S + "/manifests/etcd.yaml"):
            # external etcd: kubeadm manages none of its certificates, the API server's client one included
            continue
        if not os.path.exists(ca_key):
            common.fail("[renew] %s can't be renewed: the certificate authority %s is external (%s is not on this node)\n%s"
                        % (what, ca, ca_key, STACK), 1)
        resign(crt, key, ca_crt, ca_key)
        common.out("%s renewed" % what)
    for conf, what in KUBECONFIGS:
        if which not in ("all", conf):
            continue
        path = K8S + "/" + conf
        if not os.path.exists(path):
            continue
        renew_kubeconfig(path)
        common.out("%s renewed" % what)
    with common.node_state() as st:
        st["certsRenewedNs"] = time.time_ns()
    common.out("\nDone renewing certificates. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler "
               "and etcd, so that they can use the new certificates.")
    return 0


def resign(crt, key, ca_crt, ca_key):
    """The certificate signed again for its own key: subject and extensions kept, a year from now."""
    csr = pki.openssl(["x509", "-x509toreq", "-in", crt, "-signkey", key, "-copy_extensions", "copyall"])
    pem = pki.openssl(["x509", "-req", "-sha256", "-days", "365", "-CA", ca_crt, "-CAkey", ca_key, "-copy_extensions",
                       "copyall", "-set_serial", "0x" + secrets.token_hex(16)], csr)
    common.write_file(crt, pem, 0o644)


def renew_kubeconfig(path):
    doc = yaml.safe_load(common.read_file(path))
    ca_key = PKI + "/ca.key"
    if not os.path.exists(ca_key):
        common.fail("[renew] the client certificate of %s can't be renewed: the certificate authority ca is external\n%s"
                    % (path, STACK), 1)
    for u in doc.get("users") or []:
        user = u.get("user") or {}
        if "client-certificate-data" not in user or "client-key-data" not in user:
            continue
        with tempfile.TemporaryDirectory() as tmp:
            crt, key = tmp + "/c.crt", tmp + "/c.key"
            with open(crt, "wb") as f:
                f.write(base64.b64decode(user["client-certificate-data"]))
            with open(key, "wb") as f:
                f.write(base64.b64decode(user["client-key-data"]))
            resign(crt, key, PKI + "/ca.crt", ca_key)
            user["client-certificate-data"] = base64.b64encode(open(crt, "rb").read()).decode()
    common.write_file(path, yaml.safe_dump(doc, sort_keys=False), 0o600)
