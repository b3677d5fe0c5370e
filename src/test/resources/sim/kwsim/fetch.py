"""curl and gpg without the internet: the package repositories' signing-key URLs answer with the
harness's test key (armored, as the real ones are); anything else does not resolve. gpg does a
real --dearmor (base64 between the armor lines), so a keyring that was not dearmored is caught."""
import base64
import os
import re
import sys
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
                                            "--user-agent", "-w", "--write-out"},
                                     {"--output": "-o", "--fail": "-f", "--silent": "-s", "--show-error": "-S",
                                      "--location": "-L"})
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
    if host not in KNOWN_HOSTS:
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
