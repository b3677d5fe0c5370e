package io.kubewizard.cli;

import io.kubewizard.run.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code user add} refuses before anything is read or connected to (admin groups: exit 3; bad values:
 * exit 2 naming the option); {@code user list} prints what users.ndjson holds. The runs themselves are
 * proven on simulated nodes (sim/UserAccessChecks).
 */
class UserCommandTest {
    @TempDir Path tmp;

    private Run add(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("user", "add", "-f", "single-node", "--state", tmp.toString(), "--plain"));
        args.addAll(List.of(more));
        return Run.of(args.toArray(String[]::new));
    }

    @Test
    void theAdminGroupsAreRefusedForSafetyUnlessAllowed() {
        Path out = tmp.resolve("a.conf");
        Run r = add("mallory", "--group", "system:masters", "-o", out.toString());
        assertEquals(new Run(3, "", "error: --group system:masters makes mallory an administrator who can do anything in "
                + "the cluster, past any RBAC rule and until the certificate expires: refused for safety, and nothing was "
                + "changed. Add --allow-admin-group if that is meant\n"), r);
        Run admins = add("mallory", "--group", "dev", "--group", "kubeadm:cluster-admins", "-o", out.toString());
        assertEquals(new Run(3, "", "error: --group kubeadm:cluster-admins makes mallory an administrator who can do anything "
                + "in the cluster: refused for safety, and nothing was changed. Add --allow-admin-group if that is meant\n"), admins);
        assertFalse(Files.exists(out));
        assertFalse(Files.exists(tmp.resolve("single")), "no run directory was made");
    }

    @Test
    void aBadValueExits2NamingTheOption() {
        String out = tmp.resolve("a.conf").toString();
        assertEquals("error: NAME 'a:b' is not a user name: letters, digits and . _ @ + -, starting with a letter or digit, "
                + "at most 128 (a name with ':' such as system:... is Kubernetes' own)\n", add("a:b", "--group", "dev", "-o", out).err());
        assertEquals("error: --days 0 is not between 1 and 3650 (the cluster CA's ten years)\n",
                add("alice", "--group", "dev", "--days", "0", "-o", out).err());
        assertEquals("error: --role needs --namespace: a Role lives in one namespace\n",
                add("alice", "--group", "dev", "--role", "edit", "-o", out).err());
        assertEquals("error: --clusterrole and --role exclude each other: bind one role\n",
                add("alice", "--group", "dev", "--role", "edit", "--clusterrole", "view", "-o", out).err());
        assertEquals("error: --group '' is not a group: letters, digits and . _ @ + : -, starting with a letter or digit, at most 128\n"
                .replace("'' is not a group: letters, digits and . _ @ + : -, starting with a letter or digit, at most 128", "is empty"),
                add("alice", "--group", "", "-o", out).err());
        Run r = add("alice", "--group", "dev", "--namespace", "x", "-o", out);
        assertEquals(2, r.code());
        assertEquals("error: --namespace is for --role only (a ClusterRole is bound cluster-wide)\n", r.err());
    }

    @Test
    void anExistingOutputFileIsNotOverwritten() throws Exception {
        Path out = Files.writeString(tmp.resolve("a.conf"), "mine");
        Run r = add("alice", "--group", "dev", "-o", out.toString());
        assertEquals(2, r.code());
        assertEquals("error: -o " + out + " exists: kubewizard does not overwrite a kubeconfig, choose another file\n", r.err());
        assertEquals("mine", Files.readString(out));
    }

    @Test
    void listPrintsEveryUserIssuedOldestFirst() throws Exception {
        Run none = Run.of("user", "list", "-f", "single-node", "--state", tmp.toString());
        assertEquals(new Run(0, "No users were added to cluster 'single' (kubewizard user add adds one).\n", ""), none);
        Path runDir = tmp.resolve("single");
        Files.createDirectories(runDir);
        Users.record(runDir, new Users.Issued("alice", List.of("dev", "readers"), "clusterrole view",
                Instant.parse("2026-03-01T09:55:00Z"), Instant.parse("2026-03-31T09:55:00Z"), "kubeadm"));
        Users.record(runDir, new Users.Issued("bob@example.com", List.of("team-a"), "role edit in team-a",
                Instant.parse("2026-03-02T09:55:00Z"), Instant.parse("2027-03-02T09:55:00Z"), "kubeadm"));
        Users.record(runDir, new Users.Issued("carol", List.of("ops"), "",
                Instant.parse("2026-03-03T09:55:00Z"), Instant.parse("2026-03-04T09:55:00Z"), "kubeadm"));
        Run r = Run.of("user", "list", "-f", "single-node", "--state", tmp.toString());
        assertEquals(new Run(0, """
                NAME             GROUPS       BINDING              EXPIRES               SIGNED BY
                alice            dev,readers  clusterrole view     2026-03-31T09:55:00Z  kubeadm
                bob@example.com  team-a       role edit in team-a  2027-03-02T09:55:00Z  kubeadm
                carol            ops          -                    2026-03-04T09:55:00Z  kubeadm
                """, ""), r);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(runDir.resolve(Users.FILE))));
        assertTrue(Files.readString(runDir.resolve(Users.FILE)).startsWith("{\"name\":\"alice\",\"groups\":[\"dev\",\"readers\"],"
                + "\"binding\":\"clusterrole view\",\"notBefore\":\"2026-03-01T09:55:00Z\",\"notAfter\":\"2026-03-31T09:55:00Z\","
                + "\"pki\":\"kubeadm\"}\n"));
    }

    /** user add keeps a journal too: it is refused while the journal holds a run that can still be resumed. */
    @Test
    void anUnfinishedApplyIsNotReplacedByAUserAdd() {
        CommandHarness h = new CommandHarness("single-node");
        h.hosts.fail("node1", "kubeadm init", 1, "error execution phase preflight: preflight checks failed\n");
        assertEquals(1, h.run("apply", "-f", "single-node", "--plain", "--state", tmp.toString()).code());
        CommandHarness.Result r = h.run("user", "add", "alice", "--group", "dev", "-f", "single-node", "--plain", "--state",
                tmp.toString(), "-o", tmp.resolve("a.conf").toString());
        assertEquals(3, r.code(), r::toString);
        assertEquals("error: the journal of cluster 'single' holds a install that did not finish, and adding a user would "
                + "replace it: continue it first (kubewizard apply --resume), then add the user; nothing was changed\n", r.err());
        assertFalse(Files.exists(tmp.resolve("a.conf")));
    }

    @Test
    void aDryRunShowsTheStepsAndConnectsToNothing() {
        Run r = add("alice", "--group", "dev", "--clusterrole", "view", "-o", tmp.resolve("a.conf").toString(), "--dry-run");
        assertTrue(r.out().contains("user/bind"), r.out());
        assertTrue(r.out().contains("kubeadm kubeconfig user --config /etc/kubernetes/tmp/kubewizard-user-alice.yaml "
                + "--client-name alice --org dev --validity-period 8760h > /etc/kubernetes/tmp/kubewizard-user-alice/kubeconfig"), r.out());
        assertFalse(Files.exists(tmp.resolve("a.conf")));
    }
}
