"""What SimCluster writes into the simulated API server, run by the JVM on the machine itself (never
on a node, so no stand-in call is recorded), under the same lock as the stand-ins:

    python3 -c ... CLUSTER_DIR add-pod '{"namespace":..., "name":..., "node":..., "labels":{...},
                                         "ownerKind": "ReplicaSet"|"DaemonSet"|"StatefulSet"|"Job"|null,
                                         "emptyDir": false}'
    python3 -c ... CLUSTER_DIR add-pdb '{"namespace":..., "name":..., "matchLabels":{...},
                                         "minAvailable": N | "maxUnavailable": N}'

Refusals (no such namespace or node, a name taken) exit 1 with the API server's words on stderr."""
import json
import sys

from . import common, workloads


def main(argv):
    cluster_dir, verb, spec = argv[0], argv[1], json.loads(argv[2])
    common.CLUSTER_DIR = cluster_dir
    try:
        with common.api_state() as api:
            if verb == "add-pod":
                workloads.add_pod(api, spec["namespace"], spec["name"], spec.get("node"), spec.get("labels"),
                                  spec.get("ownerKind"), spec.get("emptyDir"))
            elif verb == "add-pdb":
                workloads.add_pdb(api, spec["namespace"], spec["name"], spec.get("matchLabels"),
                                  spec.get("minAvailable"), spec.get("maxUnavailable"))
            else:
                raise ValueError("unknown verb " + verb)
    except ValueError as e:
        sys.stderr.write("%s\n" % e)
        return 1
    return 0
