package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.RenderedFile.OsFamily;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanTextTest {

    private static final String WORKER = """
              - name: %s
                address: %s
                internalAddress: %s
                roles: [worker]
                zone: zone-a
                labels: {}
                taints: []
                ssh: {}
            """;

    /** ha-stacked with four workers, so dependencies on many hosts are summarised. */
    private static Plan plan() {
        String more = WORKER.formatted("worker3", "10.0.0.23", "10.0.0.23") + WORKER.formatted("worker4", "10.0.0.24", "10.0.0.24");
        ClusterSpec spec = Fixtures.presetWith("ha-stacked", "  - name: worker2\n", more + "  - name: worker2\n");
        return Plan.build(spec, Fixtures.files(spec, Fixtures.SECRETS));
    }

    private static String section(String text, String phase) {
        int start = text.indexOf("\n" + phase + ": ") + 1;
        int end = text.indexOf("\n\n", start);
        return text.substring(start, end < 0 ? text.length() : end + 1);
    }

    @Test
    void hostsDoingTheSameThingShareAnEntry() {
        assertEquals("""
                runtime: Install the container runtime
                  runtime/repository on cp1, cp2, cp3, worker1, worker3, worker4, worker2: Add the containerd package repository
                    skip if: ! command -v apt-get >/dev/null 2>&1 || { test -s /etc/apt/keyrings/docker-apt-keyring.gpg && test -s /etc/apt/sources.list.d/docker.list; }
                    run (deb): install -d -m 0755 /etc/apt/keyrings
                    run (deb): . /etc/os-release && case "$ID" in debian|ubuntu) ;; *) echo "Docker publishes apt repositories for debian and ubuntu, not '$ID' (ID in /etc/os-release)" >&2; exit 1 ;; esac && case "$VERSION_CODENAME" in ''|*[!a-z]*) echo "'$VERSION_CODENAME' is not a distribution codename such as bookworm or noble (VERSION_CODENAME in /etc/os-release)" >&2; exit 1 ;; esac && curl -fsSL "https://download.docker.com/linux/$ID/gpg" | gpg --batch --yes --dearmor -o /etc/apt/keyrings/docker-apt-keyring.gpg && test -s /etc/apt/keyrings/docker-apt-keyring.gpg && printf '%s\\n' '# Written by kubewizard: containerd.io (and docker-ce) come from the Docker repository, because' '# distributions ship containerd 1.x, which Kubernetes after 1.35 no longer supports.' "deb [signed-by=/etc/apt/keyrings/docker-apt-keyring.gpg] https://download.docker.com/linux/$ID $VERSION_CODENAME stable" >/etc/apt/sources.list.d/docker.list
                  runtime/install on cp1, cp2, cp3, worker1, worker3, worker4, worker2: Install containerd
                    skip if: command -v containerd >/dev/null && { dpkg -s containerd.io >/dev/null 2>&1 || rpm -q containerd.io >/dev/null 2>&1; }
                    run (deb): apt-get update
                    run (deb): DEBIAN_FRONTEND=noninteractive apt-get install -y containerd.io
                    run (rpm): dnf install -y containerd.io
                  runtime/config on cp1, cp2, cp3, worker1, worker3, worker4, worker2: Configure containerd and restart it
                    skip if: systemctl is-active --quiet containerd && systemctl is-enabled --quiet containerd
                    upload: /etc/containerd/config.toml (0644)
                    upload: /etc/crictl.yaml (0644)
                    run: systemctl daemon-reload
                    run: systemctl enable containerd
                    run: systemctl restart containerd
                """, section(PlanText.format(plan()), "runtime"));
    }

    @Test
    void joinsOneAtATimeAreListedInRunOrderWithWhatTheyWaitFor() {
        String text = PlanText.format(plan());
        assertEquals("""
                control-plane/join: Join the other control planes, one at a time
                  control-plane/upload-certs on cp1: Upload the shared control-plane certificates again
                    skip if: kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp2 cp3 >/dev/null 2>&1
                    run: kubeadm init phase upload-certs --upload-certs --config /etc/kubernetes/kubeadm/init.yaml
                  control-plane/bootstrap-token on cp1: Create or renew the bootstrap token
                    skip if: kubectl --kubeconfig /etc/kubernetes/admin.conf get node cp2 cp3 worker1 worker3 worker4 worker2 >/dev/null 2>&1
                    run: kubeadm init phase bootstrap-token --config /etc/kubernetes/kubeadm/init.yaml
                  control-plane/join on cp2: Run kubeadm join as a control plane (runs once, not retried)
                    after: control-plane/bootstrap-token@cp1, control-plane/upload-certs@cp1
                    skip if: test -f /etc/kubernetes/manifests/kube-apiserver.yaml
                    upload: /etc/kubernetes/kubeadm/join.yaml (0600, secret)
                    upload: /etc/kubernetes/admission/pod-security.yaml (0644)
                    run: kubeadm join --config /etc/kubernetes/kubeadm/join.yaml
                  control-plane/join/static-pods on cp2: Write the load balancer static pods (the kubelet starts them)
                    upload: /etc/kubernetes/manifests/kube-vip.yaml (0600)
                  control-plane/join on cp3: Run kubeadm join as a control plane (runs once, not retried)
                    after: control-plane/join@cp2
                    skip if: test -f /etc/kubernetes/manifests/kube-apiserver.yaml
                    upload: /etc/kubernetes/kubeadm/join.yaml (0600, secret)
                    upload: /etc/kubernetes/admission/pod-security.yaml (0644)
                    run: kubeadm join --config /etc/kubernetes/kubeadm/join.yaml
                  control-plane/join/static-pods on cp3: Write the load balancer static pods (the kubelet starts them)
                    upload: /etc/kubernetes/manifests/kube-vip.yaml (0600)
                """, section(text, "control-plane/join"));
        assertEquals("""
                verify: Verify the cluster
                  verify/nodes on cp1: Wait until every node is Ready
                    after: control-plane/join@cp2, control-plane/join@cp3, workers/join on 4 hosts
                    run: kubectl --kubeconfig /etc/kubernetes/admin.conf wait --for=condition=Ready --timeout=600s node/cp1 node/cp2 node/cp3 node/worker1 node/worker3 node/worker4 node/worker2
                """, section(text, "verify").lines().limit(4).map(l -> l + "\n").collect(java.util.stream.Collectors.joining()));
        // the verify phase's other steps, each check on its own: VerifyPlanTest
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonCarriesEveryCommandExactlyQuotesAndBackslashesIncluded() {
        Plan plan = plan();
        // YAML 1.1 reads JSON, so SnakeYAML checks the hand-written JSON without a new dependency.
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(PlanJson.format(plan));
        List<Map<String, Object>> steps = ((List<Map<String, Object>>) doc.get("phases")).stream()
                .flatMap(p -> ((List<Map<String, Object>>) p.get("steps")).stream()).toList();
        assertEquals(plan.steps().size(), steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step s = plan.steps().get(i);
            Map<String, Object> json = steps.get(i);
            assertEquals(s.key(), json.get("key"));
            assertEquals(s.check(), json.get("check"), s.key());
            Map<String, List<String>> run = (Map<String, List<String>>) json.get("run");
            for (OsFamily family : s.run().keySet()) {
                assertEquals(s.run().get(family), run.get(family.name().toLowerCase(java.util.Locale.ROOT)), s.key());
            }
            assertEquals(s.dependsOn(), json.get("dependsOn"), s.key());
            assertEquals(s.idempotent(), json.get("idempotent"), s.key());
            assertEquals(s.uploads().stream().map(f -> Map.of("path", f.path(), "mode", f.modeString(),
                    "os", f.os().name().toLowerCase(java.util.Locale.ROOT), "secret", f.secret())).toList(), json.get("uploads"));
        }
    }
}
