"""The programs of packages the harness has no behaviour for (containerd, runc, crio, docker, ...):
present once installed, they answer --version and nothing else."""
from . import common


def program(tool, args, ctx):
    if args in (["--version"], ["-v"], ["version"], ["-V"]):
        packages = common.read_node_state().get("packages", {})
        owner = next((p for p, spec in common.packages_table()["packages"].items()
                      if p in packages and any(path.endswith("/" + tool) for path in spec["binaries"])), None)
        common.out("%s kw-sim %s" % (tool, packages.get(owner, "unknown")))
        return 0
    common.not_simulated(tool, args)
