package io.kubewizard.plan;

import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.render.Render;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.Secrets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The user-add workflow (plan/AddUser): the binding applied on the lead from an uploaded manifest; with
 * kubeadm's PKI the certificate made there by kubeadm kubeconfig user into a 0700 directory, fetched and
 * removed also after a failure; with kubewizard's PKI nothing of the certificate on any node.
 */
class UserPlanTest {
    static final NewUser ALICE = new NewUser("alice", List.of("dev", "readers"), NewUser.Binding.clusterRole("view"), 30);

    static Plan userAdd(ClusterSpec spec, NewUser user, Observed observed) {
        return Plan.build(Workflow.userAdd(user), spec, Render.render(spec, Secrets.MASKED),
                new Plan.Inputs(observed, new ArrayList<>(spec.hosts()), Set.of()));
    }

    @Test
    void withKubeadmsPkiTheLeadBindsThenIssuesIntoAPrivateDirectoryThatIsFetchedAndRemoved() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-stacked"));
        Plan p = userAdd(spec, ALICE, ScalePlanTest.installed(spec));
        assertEquals(List.of(), p.refusals());
        assertEquals(List.of("user/bind@cp1", "user/issue@cp1", "user/clean@cp1"), ScalePlanTest.keys(p));
        Step bind = UpgradePlanTest.step(p, "user/bind@cp1");
        assertEquals(List.of("kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubernetes/kubewizard/users/alice.yaml"),
                bind.run(RenderedFile.OsFamily.ANY));
        RenderedFile manifest = bind.uploads().get(0);
        assertEquals(0600, manifest.mode());
        assertEquals("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRoleBinding
                metadata:
                  name: kubewizard:user:alice:view
                  labels:
                    app.kubernetes.io/managed-by: kubewizard
                roleRef:
                  apiGroup: rbac.authorization.k8s.io
                  kind: ClusterRole
                  name: view
                subjects:
                - apiGroup: rbac.authorization.k8s.io
                  kind: User
                  name: alice
                """, manifest.content());
        Step issue = UpgradePlanTest.step(p, "user/issue@cp1");
        assertEquals(List.of("user/bind@cp1"), issue.dependsOn());
        assertEquals(List.of("rm -rf /etc/kubernetes/tmp/kubewizard-user-alice && install -d -m 0700 /etc/kubernetes/tmp/kubewizard-user-alice",
                "umask 077 && kubeadm kubeconfig user --config /etc/kubernetes/tmp/kubewizard-user-alice.yaml --client-name alice "
                        + "--org dev --org readers --validity-period 720h > /etc/kubernetes/tmp/kubewizard-user-alice/kubeconfig"),
                issue.run(RenderedFile.OsFamily.ANY));
        assertEquals(List.of("/etc/kubernetes/tmp/kubewizard-user-alice/kubeconfig"), issue.downloads());
        String config = issue.uploads().get(0).content();
        assertTrue(config.contains("kind: ClusterConfiguration\n"), config);
        assertTrue(config.contains("clusterName: " + spec.cluster().name() + "\n"), config);
        assertTrue(config.contains("controlPlaneEndpoint: " + spec.cluster().controlPlaneEndpoint() + "\n"), config);
        Step clean = UpgradePlanTest.step(p, "user/clean@cp1");
        assertTrue(clean.always());
        assertEquals(List.of("rm -rf /etc/kubernetes/tmp/kubewizard-user-alice /etc/kubernetes/tmp/kubewizard-user-alice.yaml"),
                clean.run(RenderedFile.OsFamily.ANY));
        assertFalse(Workflow.userAdd(ALICE).recordsAnswers());
    }

    @Test
    void withKubewizardsPkiOnlyTheBindingGoesToANodeAndARoleIsBoundInItsNamespace() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("ha-external-etcd"));
        NewUser bob = new NewUser("bob", List.of("team-a"), NewUser.Binding.role("edit", "team-a"), 365);
        Plan p = userAdd(spec, bob, ScalePlanTest.installed(spec));
        assertEquals(List.of("user/bind@cp1"), ScalePlanTest.keys(p));
        String manifest = UpgradePlanTest.step(p, "user/bind@cp1").uploads().get(0).content();
        assertTrue(manifest.startsWith("apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n"
                + "  name: kubewizard:user:bob:edit\n  namespace: team-a\n"), manifest);
        assertTrue(manifest.contains("roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: edit\n"), manifest);
        // no role: nothing to do on a node
        assertEquals(List.of(), ScalePlanTest.keys(userAdd(spec, new NewUser("carol", List.of("ops"), null, 1),
                ScalePlanTest.installed(spec))));
    }

    @Test
    void aClusterThatDoesNotRunYetIsRefused() {
        ClusterSpec spec = ScalePlanTest.spec(ScalePlanTest.text("single-node"));
        assertEquals(List.of("no control plane of the answers file runs a cluster yet: a user is added to an installed cluster"),
                userAdd(spec, ALICE, Observed.NONE).refusals());
    }

    @Test
    void namesGroupsRolesAndDaysAreCheckedAsTheCommandAndTheDialogNeedThem() {
        assertEquals(null, NewUser.nameProblem("alice@example.com"));
        assertEquals("'system:alice' is not a user name: letters, digits and . _ @ + -, starting with a letter or digit, "
                + "at most 128 (a name with ':' such as system:... is Kubernetes' own)", NewUser.nameProblem("system:alice"));
        assertEquals("'a b' is not a user name: letters, digits and . _ @ + -, starting with a letter or digit, at most 128 "
                + "(a name with ':' such as system:... is Kubernetes' own)", NewUser.nameProblem("a b"));
        assertEquals(null, NewUser.groupProblem("system:masters"));
        assertEquals("'-x' is not a group: letters, digits and . _ @ + : -, starting with a letter or digit, at most 128",
                NewUser.groupProblem("-x"));
        assertEquals(null, NewUser.roleProblem("system:aggregate-to-view"));
        assertEquals("'Edit' is not a role name: lower-case letters, digits and . : -", NewUser.roleProblem("Edit"));
        assertEquals("'Team' is not a namespace: lower-case letters, digits and -, at most 63", NewUser.namespaceProblem("Team"));
        assertEquals(null, NewUser.daysProblem(3650));
        assertEquals("3651 is not between 1 and 3650 (the cluster CA's ten years)", NewUser.daysProblem(3651));
    }
}
