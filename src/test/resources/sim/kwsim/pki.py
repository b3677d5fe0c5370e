"""Certificates and kubeconfigs made with the real openssl, the way kubeadm lays them out:
keys 0600, certificates 0644. The stand-ins make ECDSA P-256 keys (fast on a shared machine)."""
import base64
import hashlib
import os
import secrets
import subprocess
import tempfile

import yaml

from . import common


def openssl(args, data=None):
    r = subprocess.run(["openssl"] + args, input=data, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("openssl %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout


def new_key(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pem = openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
    common.write_file(path, pem, 0o600)


def subject(cn, orgs=()):
    return "".join("/O=" + o for o in orgs) + "/CN=" + cn


def self_signed_ca(crt, key, cn):
    new_key(key)
    pem = openssl(["req", "-x509", "-new", "-key", key, "-sha256", "-days", "3650", "-subj", subject(cn),
                   "-addext", "basicConstraints=critical,CA:TRUE",
                   "-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"])
    common.write_file(crt, pem, 0o644)


def sign(crt, key, ca_crt, ca_key, cn, orgs=(), sans=(), server=False, client=False, days=365):
    """A leaf certificate for `key` (made when missing) signed by the CA."""
    if not os.path.exists(key):
        new_key(key)
    csr = openssl(["req", "-new", "-key", key, "-subj", subject(cn, orgs)])
    usages = []
    if server:
        usages.append("serverAuth")
    if client:
        usages.append("clientAuth")
    ext = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment"]
    if usages:
        ext.append("extendedKeyUsage=" + ",".join(usages))
    if sans:
        ext.append("subjectAltName=" + ",".join(("IP:" if is_ip(s) else "DNS:") + s for s in sans))
    with tempfile.NamedTemporaryFile("w", suffix=".ext") as f:
        f.write("\n".join(ext) + "\n")
        f.flush()
        pem = openssl(["x509", "-req", "-sha256", "-days", str(days), "-CA", ca_crt, "-CAkey", ca_key,
                       "-set_serial", "0x" + secrets.token_hex(16), "-extfile", f.name], csr)
    common.write_file(crt, pem, 0o644)
    return pem


def is_ip(s):
    return all(p.isdigit() for p in s.split(".")) and s.count(".") == 3 or ":" in s


def spki_hash(cert_pem):
    """kubeadm's CA pin: sha256 of the DER SubjectPublicKeyInfo, as "sha256:<hex>"."""
    pub = openssl(["x509", "-noout", "-pubkey"], cert_pem)
    der = openssl(["pkey", "-pubin", "-outform", "DER"], pub)
    return "sha256:" + hashlib.sha256(der).hexdigest()


def verify(cert_pem, ca_file):
    """Whether the certificate was issued by the CA file (real chain verification)."""
    with tempfile.NamedTemporaryFile("wb", suffix=".crt") as f:
        f.write(cert_pem)
        f.flush()
        r = subprocess.run(["openssl", "verify", "-CAfile", ca_file, f.name], capture_output=True)
    return r.returncode == 0


def b64(data):
    return base64.b64encode(data).decode()


def kubeconfig(cluster, server, ca_pem, user, cert_pem, key_pem):
    return yaml.safe_dump({
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": cluster, "cluster": {"certificate-authority-data": b64(ca_pem), "server": server}}],
        "contexts": [{"name": "%s@%s" % (user, cluster), "context": {"cluster": cluster, "user": user}}],
        "current-context": "%s@%s" % (user, cluster),
        "preferences": {},
        "users": [{"name": user, "user": {"client-certificate-data": b64(cert_pem), "client-key-data": b64(key_pem)}}],
    }, sort_keys=False)


def write_kubeconfig(path, cluster, server, ca_crt, ca_key, user, orgs):
    with tempfile.TemporaryDirectory() as tmp:
        key = tmp + "/client.key"
        cert = sign(tmp + "/client.crt", key, ca_crt, ca_key, user, orgs, client=True)
        content = kubeconfig(cluster, server, common.read_file(ca_crt).encode(), user, cert, open(key, "rb").read())
    common.write_file(path, content, 0o600)


def read_kubeconfig(path):
    """(server, ca_pem, client_cert_pem, cluster_name) of the current context, or raises ValueError."""
    doc = yaml.safe_load(common.read_file(path)) or {}
    contexts = {c["name"]: c["context"] for c in doc.get("contexts") or []}
    current = contexts.get(doc.get("current-context"))
    if current is None:
        raise ValueError("current-context is not set")
    clusters = {c["name"]: c["cluster"] for c in doc.get("clusters") or []}
    users = {u["name"]: u["user"] for u in doc.get("users") or []}
    c = clusters.get(current.get("cluster"))
    u = users.get(current.get("user"), {})
    if c is None:
        raise ValueError("cluster %s not found" % current.get("cluster"))
    ca = base64.b64decode(c["certificate-authority-data"]) if "certificate-authority-data" in c else None
    if ca is None and "certificate-authority" in c:
        ca = open(c["certificate-authority"], "rb").read()
    cert = base64.b64decode(u["client-certificate-data"]) if "client-certificate-data" in u else None
    if cert is None and "client-certificate" in u:
        cert = open(u["client-certificate"], "rb").read()
    return c.get("server"), ca, cert, current.get("cluster")
