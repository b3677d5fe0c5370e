package io.kubewizard.tui;

import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Role;
import io.kubewizard.answers.Spec.Ssh;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Hosts page: the table, the host dialog with its own inline checks, removing, SSH defaults, import. */
class HostsPageTest {
    /** Where a dialog at 80 columns wraps its messages. */
    private static final int DIALOG = 72;

    @TempDir Path tmp;

    /** A new cluster, at the Hosts page. */
    private Harness hosts() {
        Harness h = new Harness(80, 24, Harness.options(Locale.ENGLISH, tmp, tmp));
        h.wizard.go(3);
        h.pump();
        return h;
    }

    @Test
    void aNewClusterHasNoHostsAndSaysSo() {
        Harness h = hosts();
        assertEquals(" kubewizard · 4/13 Hosts", h.row(0));
        assertEquals("   Name                          Address Roles SSH override", h.row(3));
        assertEquals("   (no hosts yet: Add or Import)", h.row(4));
        h.assertShows("✗ no hosts: list at least one control-plane host");
        h.wizard.next();
        h.pump();
        assertEquals(" kubewizard · 4/13 Hosts", h.row(0), "Next is refused without hosts");
    }

    @Test
    void addingAHostChecksItInTheDialogAndKeepsItOnlyWhenValid() {
        Harness h = hosts();
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertTrue(h.shows("Add a host"), h.text());
        h.type("cp1").key(KeyType.Tab).type("bad_host");
        h.assertShows("✗ 'bad_host' is neither an IP address nor a DNS name", DIALOG);
        h.key(KeyType.Tab, 10).key(KeyType.Enter);
        assertTrue(h.shows("Add a host"), "OK is refused while the host has errors");
        h.key(KeyType.Tab, 3).key(KeyType.Backspace, 8).type("10.0.0.11");
        assertFalse(h.shows("bad_host"), h.text());
        h.key(KeyType.Tab, 10).key(KeyType.Enter);
        assertFalse(h.shows("Add a host"), h.text());
        assertEquals(" ✓ cp1  10.0.0.11 control-plane,worker -", h.row(4));
        assertEquals(List.of(new Host("cp1", "10.0.0.11", "10.0.0.11", List.of(Role.CONTROL_PLANE, Role.WORKER), "",
                Map.of(), List.of(), Ssh.none())), h.wizard.state.hosts);
        assertFalse(h.shows("✗"), h.text());
    }

    @Test
    void editingKeepsOverridesAndNamesTheHostInMessages() {
        Harness h = hosts();
        h.wizard.state.hosts.add(new Host("cp1", "10.0.0.11", "10.0.0.11", List.of(Role.CONTROL_PLANE), "", Map.of(),
                List.of(), Ssh.none()));
        h.wizard.state.hosts.add(new Host("w1", "10.0.0.11", "10.0.0.11", List.of(Role.WORKER), "", Map.of(),
                List.of(), new Ssh("deploy", 2222, null, null, null, null, null)));
        h.wizard.go(3);
        h.pump();
        assertEquals(" ✗ w1   10.0.0.11 worker        deploy@:2222", h.row(5));
        h.assertShows("✗ w1: address '10.0.0.11' is already used by hosts[0]");
        h.assertShows("✗ w1: internal address '10.0.0.11' is already used by hosts[0]");
        h.key(KeyType.ArrowDown).key(KeyType.Enter);
        assertTrue(h.shows("Edit host"), h.text());
        h.key(KeyType.Tab).key(KeyType.End).key(KeyType.Backspace).type("2");
        h.key(KeyType.Tab, 10).key(KeyType.Enter);
        assertEquals(" ✓ w1   10.0.0.12 worker        deploy@:2222", h.row(5));
        assertEquals(new Ssh("deploy", 2222, null, null, null, null, null), h.wizard.state.hosts.get(1).ssh());
    }

    @Test
    void removingAsksFirst() {
        Harness h = hosts();
        h.wizard.state.hosts.add(new Host("cp1", "10.0.0.11", "10.0.0.11", List.of(Role.CONTROL_PLANE), "", Map.of(),
                List.of(), Ssh.none()));
        h.wizard.go(3);
        h.pump();
        h.key(KeyType.Tab, 3).key(KeyType.Enter);
        assertTrue(h.shows("Remove host cp1?"), h.text());
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertEquals(1, h.wizard.state.hosts.size(), "Cancel keeps it");
        h.key(KeyType.Enter).key(KeyType.Enter);
        assertEquals(List.of(), h.wizard.state.hosts);
        assertEquals("   (no hosts yet: Add or Import)", h.row(4));
    }

    @Test
    void sshDefaultsAreCheckedByTheSameRules() {
        Harness h = hosts();
        h.key(KeyType.Tab, 4).key(KeyType.Enter);
        assertTrue(h.shows("SSH defaults for every host"), h.text());
        h.key(KeyType.End).key(KeyType.Backspace, 4).type("deploy");
        h.key(KeyType.Tab, 6).key(KeyType.Enter).key(KeyType.ArrowUp).key(KeyType.Enter);
        h.assertShows("✗ user 'deploy' is not root, so become must be sudo: kubeadm and package installs need root",
                DIALOG);
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertTrue(h.shows("SSH defaults for every host"), "OK is refused");
        h.key(KeyType.ReverseTab).key(KeyType.Enter).key(KeyType.ArrowDown).key(KeyType.Enter);
        h.key(KeyType.Tab).key(KeyType.Enter);
        assertFalse(h.shows("SSH defaults for every host"), h.text());
        assertEquals(new Ssh("deploy", 22, "~/.ssh/id_ed25519", true, "", "~/.ssh/known_hosts", Become.SUDO),
                h.wizard.state.ssh);
    }

    @Test
    void importsConcreteHostsFromSshConfig() throws IOException {
        Files.createDirectories(tmp.resolve(".ssh"));
        Files.writeString(tmp.resolve(".ssh/config"), """
                Host *
                    User root
                Host cp1
                    HostName 10.0.0.11
                Host w1 w2
                    HostName 10.0.0.21
                    User deploy
                    Port 2222
                Host *.example.com
                    User nobody
                """);
        Harness h = hosts();
        h.key(KeyType.Tab, 5).key(KeyType.Enter);
        assertTrue(h.shows("[x] cp1  root@10.0.0.11"), h.text());
        assertTrue(h.shows("[x] w1  root@10.0.0.21:2222"), h.text());
        assertTrue(h.shows("[x] w2  root@10.0.0.21:2222"), h.text());
        h.key(KeyType.ArrowDown, 2).type(" ").key(KeyType.Tab).key(KeyType.Enter);
        assertEquals(" ✓ Imported 2 hosts from " + tmp.resolve(".ssh/config") + ".", h.rowWith("Imported"));
        assertEquals(List.of(
                new Host("cp1", "10.0.0.11", "10.0.0.11", List.of(Role.CONTROL_PLANE, Role.WORKER), "", Map.of(),
                        List.of(), Ssh.none()),
                new Host("w1", "10.0.0.21", "10.0.0.21", List.of(Role.WORKER), "", Map.of(), List.of(),
                        new Ssh(null, 2222, null, null, null, null, null))), h.wizard.state.hosts);
        assertEquals(" ✓ cp1  10.0.0.11 control-plane,worker -", h.row(4));
        assertEquals(" ✓ w1   10.0.0.21 worker               :2222", h.row(5));
    }

    @Test
    void importWithoutAConfigSaysSo() {
        Harness h = hosts();
        h.key(KeyType.Tab, 5).key(KeyType.Enter);
        assertEquals(" ✗ No " + tmp.resolve(".ssh/config") + " to import from.", h.rowWith("No "));
    }

    @Test
    void testConnectionIsDisabledAndSaysWhy() {
        Harness h = hosts();
        assertEquals("  Test connection   needs the SSH transport, not wired in this build",
                h.rowWith("Test connection"));
    }
}
