"""curl and gpg without the internet: the package repositories' signing-key URLs answer with the
harness's test key (armored, as the real ones are); another name does not resolve (there is no DNS).
A URL whose host is an IP address is fetched for real over the node's network, as curl would: a
test's mirror in the cluster's network answers, an address where nothing listens refuses, a
certificate the --cacert file does not vouch for is refused. gpg does a real --dearmor (base64
between the armor lines), so a keyring that was not dearmored is caught."""
import base64
import http.client
import ipaddress
import os
import re
import socket
import ssl
import sys
import time
from urllib.parse import urlparse

from . import common

KEY_URLS = [
    re.compile(r"^https://pkgs\.k8s\.io/core:/stable:/v1\.\d+/deb/Release\.key$"),
    re.compile(r"^https://pkgs\.k8s\.io/core:/stable:/v1\.\d+/rpm/repodata/repomd\.xml\.key$"),
    re.compile(r"^https://pkgs\.k8s\.io/addons:/cri-o:/stable:/v1\.\d+/(deb/Release\.key|rpm/repodata/repomd\.xml\.key)$"),
    re.compile(r"^https://download\.opensuse\.org/repositories/isv:/cri-o:/stable:/v1\.\d+/(deb/Release\.key|rpm/repodata/repomd\.xml\.key)$"),
    re.compile(r"^https://download\.docker\.com/linux/(debian|ubuntu|centos|rhel|fedora)/gpg$"),
]
KNOWN_HOSTS = {"pkgs.k8s.io", "download.opensuse.org", "download.docker.com", "prod-cdn.packages.k8s.io"}


def key_for(url):
    """The armored key a signing-key URL serves, or None."""
    if any(p.match(url) for p in KEY_URLS):
        return common.read_file(common.LIB_DIR + "/repository-key.asc")
    return None


def curl(args, ctx):
    flags, urls = common.parse_flags(args, {"-o", "--output", "-H", "--header", "-m", "--max-time", "--retry",
                                            "--connect-timeout", "-X", "--request", "-d", "--data", "-A",
                                            "--user-agent", "-w", "--write-out", "--cacert"},
                                     {"--output": "-o", "--fail": "-f", "--silent": "-s", "--show-error": "-S",
                                      "--location": "-L", "--head": "-I", "--max-time": "-m", "--write-out": "-w"})
    # Combined short flags such as -fsSL.
    for k in list(flags):
        if re.fullmatch(r"-[fsSLkvI]{2,}", k):
            for c in k[1:]:
                flags.setdefault("-" + c, [True])
    show_error = "-s" not in flags or "-S" in flags
    if len(urls) != 1:
        common.not_simulated("curl", args)
    url = urls[0]
    ctx.work()
    host = urlparse(url).hostname or ""
    if is_address(host):
        return real_request(url, flags, show_error)
    if host not in KNOWN_HOSTS or common.no_internet():
        common.fail("curl: (6) Could not resolve host: %s" % host if show_error else "", 6)
    body = key_for(url)
    if body is None:
        if "-f" in flags:
            common.fail("curl: (22) The requested URL returned error: 404" if show_error else "", 22)
        body = "<html><body>404 Not Found</body></html>\n"
    output = common.last(flags, "-o")
    if output and output != "-":
        try:
            with open(output, "w") as f:
                f.write(body)
        except OSError as e:
            common.fail("curl: (23) Failure writing output to destination, passed %d returned 0\n"
                        "Warning: Failed to open the file %s: %s" % (len(body), output, e.strerror), 23)
    else:
        sys.stdout.write(body)
    return 0


def is_address(host):
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def real_request(url, flags, show_error):
    """One request as curl makes it (HEAD with -I), over the node's own network; curl's exit codes
    and messages for what goes wrong. -w prints only %{http_code}, the one variable the plan uses."""
    u = urlparse(url)
    port = u.port or (443 if u.scheme == "https" else 80)
    timeout = float(common.last(flags, "-m") or 300)
    write_out = common.last(flags, "-w")
    started = time.monotonic()

    def failed(code, message):
        if write_out:
            sys.stdout.write(write_out.replace("%{http_code}", "000"))
            sys.stdout.flush()
        common.fail("curl: (%d) %s" % (code, message) if show_error else "", code)

    if u.scheme == "https":
        context = ssl.create_default_context(cafile=common.last(flags, "--cacert") or None)
        conn = http.client.HTTPSConnection(u.hostname, port, timeout=timeout, context=context)
    elif u.scheme == "http":
        conn = http.client.HTTPConnection(u.hostname, port, timeout=timeout)
    else:
        failed(1, 'Protocol "%s" not supported' % u.scheme)
    path = (u.path or "/") + ("?" + u.query if u.query else "")
    try:
        conn.request("HEAD" if "-I" in flags else "GET", path, headers={"User-Agent": "curl/8.5.0"})
        response = conn.getresponse()
        body = response.read()
    except ssl.SSLCertVerificationError:
        failed(60, "SSL certificate problem: unable to get local issuer certificate")
    except ConnectionRefusedError:
        failed(7, "Failed to connect to %s port %d after %d ms: Couldn't connect to server"
               % (u.hostname, port, (time.monotonic() - started) * 1000))
    except (socket.timeout, TimeoutError):
        failed(28, "Connection timed out after %d milliseconds" % (timeout * 1000))
    except OSError as e:
        failed(7, "Failed to connect to %s port %d after %d ms: %s"
               % (u.hostname, port, (time.monotonic() - started) * 1000, e.strerror or e))
    finally:
        conn.close()
    if "-f" in flags and response.status >= 400:
        failed(22, "The requested URL returned error: %d" % response.status)
    output = common.last(flags, "-o")
    if "-I" in flags:
        body = ("HTTP/1.1 %d %s\r\n" % (response.status, response.reason)
                + "".join("%s: %s\r\n" % h for h in response.getheaders()) + "\r\n").encode()
    if output and output != "-":
        if output != "/dev/null":
            with open(output, "wb") as f:
                f.write(body)
    else:
        sys.stdout.buffer.write(body)
    if write_out:
        sys.stdout.write(write_out.replace("%{http_code}", "%03d" % response.status))
    return 0


def dearmor(text):
    lines = text.strip().splitlines()
    if not lines or not lines[0].startswith("-----BEGIN PGP"):
        return None
    body = []
    in_headers = True
    for line in lines[1:]:
        if line.startswith("-----END PGP"):
            break
        if in_headers:
            if not line.strip():
                in_headers = False
            elif ":" in line:
                continue
            else:
                in_headers = False
        if not in_headers and line.strip() and not line.startswith("="):
            body.append(line.strip())
    try:
        return base64.b64decode("".join(body), validate=True)
    except ValueError:
        return None


def gpg(args, ctx):
    flags, files = common.parse_flags(args, {"-o", "--output", "--homedir", "--keyring"},
                                      {"--output": "-o"})
    if "--dearmor" not in flags:
        common.not_simulated("gpg", args)
    data = open(files[0], "rb").read() if files else ctx.stdin.read()
    ctx.work()
    binary = dearmor(data.decode("utf-8", "replace"))
    if binary is None:
        common.fail("gpg: no valid OpenPGP data found.", 2)
    output = common.last(flags, "-o")
    if output and output != "-":
        if os.path.exists(output) and "--yes" not in flags:
            common.fail("File '%s' exists. Overwrite? (y/N) gpg: Sorry, we are in batchmode - can't get input"
                        % output if "--batch" in flags else "gpg: signal Interrupt caught ... exiting", 2)
        with open(output, "wb") as f:
            f.write(binary)
    else:
        sys.stdout.buffer.write(binary)
    return 0
