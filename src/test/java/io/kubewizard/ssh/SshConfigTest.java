package io.kubewizard.ssh;

import io.kubewizard.answers.Defaults;
import io.kubewizard.answers.Spec.Become;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.answers.Spec.Ssh;
import io.kubewizard.ssh.HostSettings.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ~/.ssh/config as ssh_config(5) reads it, and how it merges with the answers. */
class SshConfigTest {

    @TempDir
    Path home;

    private SshConfig parse(String text) throws Exception {
        return SshConfig.parse(text, home.resolve(".ssh"));
    }

    @Test
    void firstValueWinsAndIdentityFilesAccumulate() throws Exception {
        SshConfig c = parse("""
                # a comment
                Host cp1 cp2
                  HostName 10.0.0.1
                  Port 2222
                  IdentityFile ~/.ssh/cp_key
                  User bob

                Host *.example !db.example
                  User web
                  ProxyJump jump@bastion:2022

                Host *
                  User fallback
                  Port 22
                  IdentityFile ~/.ssh/default_key
                """);
        assertEquals(new SshConfig.Entry("10.0.0.1", 2222, "bob", List.of("~/.ssh/cp_key", "~/.ssh/default_key"), null),
                c.lookup("cp1"));
        assertEquals(new SshConfig.Entry(null, 22, "web", List.of("~/.ssh/default_key"), "jump@bastion:2022"),
                c.lookup("a.example"));
        assertEquals(new SshConfig.Entry(null, 22, "fallback", List.of("~/.ssh/default_key"), null), c.lookup("db.example"));
        assertEquals(new SshConfig.Entry("10.0.0.1", 2222, "bob", List.of("~/.ssh/cp_key", "~/.ssh/default_key"), null),
                c.lookup("CP2"), "host names match case-insensitively");
    }

    @Test
    void equalsSignsQuotesCommentsAndTokens() throws Exception {
        SshConfig c = parse("""
                host=*.lan
                  hostname %h.example.com
                  PORT = 2200 # after the value
                  identityfile "~/.ssh/my key"
                  ProxyJump none
                Host *
                  ProxyJump never@used
                """);
        assertEquals(new SshConfig.Entry("db.lan.example.com", 2200, null, List.of("~/.ssh/my key"), "none"), c.lookup("db.lan"));
    }

    @Test
    void matchBlocksDoNotApplyAndTheNextHostLineEndsThem() throws Exception {
        SshConfig c = parse("""
                Match host cp1
                  User matched
                Host cp1
                  User plain
                """);
        assertEquals("plain", c.lookup("cp1").user());
    }

    @Test
    void includeReadsFilesRelativeToDotSshInsideTheirBlock() throws Exception {
        Path conf = Files.createDirectories(home.resolve(".ssh/config.d"));
        Files.writeString(conf.resolve("10-cp.conf"), "HostName 10.9.9.9\n");
        Files.writeString(conf.resolve("20-all.conf"), "Host *\n  User included\n");
        SshConfig c = parse("""
                Host cp1
                  Include config.d/10-cp.conf
                Include config.d/2*.conf
                """);
        assertEquals(new SshConfig.Entry("10.9.9.9", null, "included", List.of(), null), c.lookup("cp1"));
        assertEquals(new SshConfig.Entry(null, null, "included", List.of(), null), c.lookup("cp2"));
    }

    @Test
    void aMissingFileIsAnEmptyConfig() throws Exception {
        SshConfig c = SshConfig.read(home.resolve(".ssh/config"), home.resolve(".ssh"));
        assertEquals(new SshConfig.Entry(null, null, null, List.of(), null), c.lookup("anything"));
    }

    // ---- merged with the answers -----------------------------------------------------------------

    private HostSettings resolve(Ssh top, Ssh own, String config) throws Exception {
        Host h = Fixtures.host("cp1", "10.0.0.11", own);
        ClusterSpec spec = Fixtures.spec(top, h);
        return HostSettings.resolve(spec, h, parse(config), home);
    }

    private static final String CONFIG = """
            Host 10.0.0.11
              HostName cp1.internal
              User ubuntu
              Port 2222
              IdentityFile ~/.ssh/from_config
            Host bastion
              HostName 192.0.2.1
              User ops
              IdentityFile ~/.ssh/bastion_key
            """;

    @Test
    void answersDefaultsAloneGiveRootOnPort22() throws Exception {
        HostSettings s = resolve(Defaults.SSH, Ssh.none(), "");
        assertEquals(new HostSettings("cp1", new Endpoint("10.0.0.11", 22, "root"), List.of(),
                List.of(home.resolve(".ssh/id_ed25519")), true, home.resolve(".ssh/known_hosts"), false), s);
    }

    @Test
    void sshConfigFillsWhatTheAnswersLeftAtTheirDefaults() throws Exception {
        HostSettings s = resolve(Defaults.SSH, Ssh.none(), CONFIG);
        assertEquals(new Endpoint("cp1.internal", 2222, "ubuntu"), s.target());
        assertEquals(List.of(home.resolve(".ssh/from_config"), home.resolve(".ssh/id_ed25519")), s.identityFiles());
        assertTrue(s.sudo(), "a non-root user with become: sudo");
    }

    @Test
    void answersWinWhereBothSetAValue() throws Exception {
        Ssh top = new Ssh("admin", 2200, "~/.ssh/answers_key", false, "", "~/kh", Become.NONE);
        HostSettings s = resolve(top, Ssh.none(), CONFIG);
        assertEquals(new HostSettings("cp1", new Endpoint("cp1.internal", 2200, "admin"), List.of(),
                List.of(home.resolve(".ssh/answers_key"), home.resolve(".ssh/from_config")), false, home.resolve("kh"), false), s);
    }

    @Test
    void aHostsOwnValueCountsAsSetEvenWhenItEqualsTheDefault() throws Exception {
        Ssh own = new Ssh("root", 22, null, null, null, null, null);
        HostSettings s = resolve(Defaults.SSH, own, CONFIG);
        assertEquals(new Endpoint("cp1.internal", 22, "root"), s.target());
        assertFalse(s.sudo());
    }

    @Test
    void bastionFromTheAnswersWithTheBastionsOwnConfig() throws Exception {
        Ssh top = new Ssh("root", 22, "~/.ssh/id_ed25519", true, "bastion", "~/.ssh/known_hosts", Become.SUDO);
        HostSettings s = resolve(top, Ssh.none(), CONFIG);
        assertEquals(List.of(new Endpoint("192.0.2.1", 22, "ops")), s.jumps());
        assertEquals(List.of(home.resolve(".ssh/from_config"), home.resolve(".ssh/id_ed25519"),
                home.resolve(".ssh/bastion_key")), s.identityFiles());

        Ssh explicit = new Ssh("root", 22, "~/.ssh/id_ed25519", true, "jump@bastion:2022,[fd00::1]:23,other",
                "~/.ssh/known_hosts", Become.SUDO);
        assertEquals(List.of(new Endpoint("192.0.2.1", 2022, "jump"), new Endpoint("fd00::1", 23, "ubuntu"),
                new Endpoint("other", 22, "ubuntu")), resolve(explicit, Ssh.none(), CONFIG).jumps());
        assertEquals("jump@192.0.2.1:2022", resolve(explicit, Ssh.none(), CONFIG).jumps().get(0).toString());
        assertEquals("ubuntu@[fd00::1]:23", resolve(explicit, Ssh.none(), CONFIG).jumps().get(1).toString());
    }

    @Test
    void proxyJumpFromSshConfigWhenTheAnswersHaveNoBastion() throws Exception {
        HostSettings s = resolve(Defaults.SSH, Ssh.none(), "Host 10.0.0.11\n  ProxyJump admin@gw.example\n");
        assertEquals(List.of(new Endpoint("gw.example", 22, "admin")), s.jumps());
        HostSettings none = resolve(Defaults.SSH, Ssh.none(), "Host 10.0.0.11\n  ProxyJump none\n");
        assertEquals(List.of(), none.jumps());
    }

    @Test
    void aBadBastionPortIsNamed() {
        Ssh top = new Ssh("root", 22, "~/.ssh/id_ed25519", true, "gw:99999", "~/.ssh/known_hosts", Become.SUDO);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve(top, Ssh.none(), ""));
        assertEquals("bastion 'gw:99999': port '99999' is not 1-65535", e.getMessage());
    }

    @Test
    void tokensAndRelativeIdentityFiles() {
        assertEquals(home.resolve(".ssh/id_cp1.internal_ubuntu"),
                HostSettings.expand("~/.ssh/id_%h_%r", home, "ubuntu", "cp1.internal"));
        assertEquals(home.resolve(".ssh/relative_key"), HostSettings.expand("relative_key", home, "u", "h"));
        assertEquals(home.resolve("keys/k"), HostSettings.expand("%d/keys/k", home, "u", "h"));
        assertEquals(Path.of("/abs/100%"), HostSettings.expand("/abs/100%%", home, "u", "h"));
    }
}
