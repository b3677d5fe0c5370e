package io.kubewizard.tui;

import io.kubewizard.plan.Facts;
import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.run.HostCheck;
import io.kubewizard.run.Masker;
import io.kubewizard.run.Question;
import io.kubewizard.run.TransportFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test connection on the Hosts page, and the dialogs that answer the engine's questions: a secret
 * that is never shown, a host key to trust shown by its SHA256 fingerprint.
 */
class ConnectionDialogsTest {
    /** Where a dialog at 80 columns wraps; the report is wider, for a host key on one line. */
    private static final int DIALOG = 64;
    private static final int REPORT = 72;
    private static final String FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    private static final String QUESTION = "The authenticity of host 'cp1 (10.0.0.11:22)' can't be established.\n"
            + "ED25519 key fingerprint is " + FINGERPRINT + ".\nTrust it and add it to /root/.ssh/known_hosts?";

    @TempDir Path tmp;

    /** What the engine would do on its thread: answers come back through {@link #done}. */
    private interface Behaviour {
        HostCheck.Report test(Host host, TransportFactory.Prompter prompter) throws InterruptedException;
    }

    private static final class FakeTester implements ConnectionTester {
        volatile Behaviour behaviour;
        final CompletableFuture<String> done = new CompletableFuture<>();
        volatile Host tested;

        public HostCheck.Report test(ClusterSpec spec, Host host, TransportFactory.Prompter prompter)
                throws InterruptedException {
            tested = host;
            try {
                return behaviour.test(host, prompter);
            } catch (InterruptedException e) {
                done.complete("interrupted");
                throw e;
            }
        }
    }

    private final FakeTester tester = new FakeTester();

    private static Facts debian() {
        return new Facts("debian", List.of(), "Debian GNU/Linux 12 (bookworm)", OsFamily.DEB, "x86_64", 4, 8_000_000,
                List.of(), "cp1", List.of("52:54:00:00:00:01"), "", new TreeSet<>(List.of(22)), "1", List.of());
    }

    private Harness hosts(Locale locale) {
        ClusterSpec spec = AnswersLoader.load(Harness.presets().resolve("ha-stacked.yaml")).spec();
        Harness h = new Harness(80, 24, Harness.options(locale, tmp, tmp).withInitial(spec, null).withTester(tester));
        h.wizard.go(3);
        h.pump();
        return h;
    }

    /** Tab to Test connection and press it. */
    private static void pressTest(Harness h) {
        h.key(KeyType.Tab, 6).key(KeyType.Enter);
    }

    @Test
    void aReachableHostShowsItsSystemAndHostKey() {
        tester.behaviour = (host, p) -> new HostCheck.Report(host.name(), debian(), "ED25519 " + FINGERPRINT, null);
        Harness h = hosts(Locale.ENGLISH);
        assertEquals(" <Test connection>  connects as Install would; changes nothing",
                h.rowWith("Test connection"));
        pressTest(h);
        h.pumpUntil(() -> h.shows("answers."), "the report");
        assertEquals("cp1", tester.tested.name(), "the selected row");
        h.assertShows("✓ cp1 (10.0.0.11) answers.", REPORT);
        h.assertShows("OS       Debian GNU/Linux 12 (bookworm), x86_64", REPORT);
        h.assertShows("CPUs     4", REPORT);
        h.assertShows("Memory   7812 MiB", REPORT);
        h.assertShows("Host key ED25519 " + FINGERPRINT, REPORT);
        assertTrue(h.shows("Test connection: cp1"), h.text());
        h.key(KeyType.Enter);
        assertFalse(h.shows("Test connection: cp1"), "Close");
    }

    @Test
    void anUnreachableHostSaysWhyOnOneLine() {
        tester.behaviour = (host, p) -> new HostCheck.Report(host.name(), null, null,
                "could not connect to root@10.0.0.11:22 within 15s");
        Harness h = hosts(Locale.ENGLISH);
        pressTest(h);
        h.pumpUntil(() -> h.shows("cannot be used"), "the report");
        h.assertShows("✗ cp1 (10.0.0.11) cannot be used: could not connect to root@10.0.0.11:22 within 15s", REPORT);
        assertFalse(h.shows("Exception"), h.text());
        assertFalse(h.shows("OS "), h.text());
    }

    @Test
    void anUnknownHostKeyIsAskedWithItsFingerprintAndNoIsTheDefault() {
        CompletableFuture<Boolean> first = new CompletableFuture<>();
        tester.behaviour = (host, p) -> {
            first.complete(p.confirm(QUESTION));
            boolean trusted = p.confirm(QUESTION);
            return new HostCheck.Report(host.name(), trusted ? debian() : null, trusted ? "ED25519 " + FINGERPRINT : null,
                    trusted ? null : "refused");
        };
        Harness h = hosts(Locale.ENGLISH);
        pressTest(h);
        h.pumpUntil(() -> h.shows("Trust it and add it"), "the host-key question");
        h.assertShows("ED25519 key fingerprint is " + FINGERPRINT + ".", DIALOG);
        assertTrue(h.shows("Confirm"), h.text());
        assertTrue(h.rowWith("< Yes  >").endsWith("< Yes  > <  No  > │"), h.text());
        h.key(KeyType.Enter);
        h.pumpUntil(first::isDone, "the first answer");
        assertFalse(first.join(), "Enter on the focused No refuses");
        h.pumpUntil(() -> h.shows("Trust it and add it"), "the question again");
        h.key(KeyType.ReverseTab).key(KeyType.Enter);
        h.pumpUntil(() -> h.shows("answers."), "the report after trusting");
        h.assertShows("Host key ED25519 " + FINGERPRINT, REPORT);
    }

    @Test
    void aPasswordIsTypedIntoABoxThatShowsNothing() throws Exception {
        CompletableFuture<char[]> typed = new CompletableFuture<>();
        tester.behaviour = (host, p) -> {
            typed.complete(p.secret("Password for root@10.0.0.11 (cp1)"));
            return new HostCheck.Report(host.name(), debian(), null, null);
        };
        Harness h = hosts(Locale.ENGLISH);
        pressTest(h);
        h.pumpUntil(() -> h.shows("Password for root@10.0.0.11 (cp1)"), "the password dialog");
        assertTrue(h.shows("Secret needed"), h.text());
        assertTrue(h.shows("(what you type is not shown)"), h.text());
        String before = h.text();
        h.type("s3cr*t w0rd");
        assertEquals(before, h.text(), "typing changes nothing on the screen, not even a mask per character");
        h.key(KeyType.Backspace).type("D").key(KeyType.Enter);
        assertArrayEquals("s3cr*t w0rD".toCharArray(), typed.get(10, TimeUnit.SECONDS));
        h.pumpUntil(() -> h.shows("answers."), "the report");
        assertFalse(h.shows("w0r"), h.text());
        assertTrue(h.shows("Host key unknown"), h.text());
    }

    @Test
    void escapeDeclinesAPassword() throws Exception {
        CompletableFuture<char[]> typed = new CompletableFuture<>();
        tester.behaviour = (host, p) -> {
            typed.complete(p.secret("Passphrase for /root/.ssh/id_ed25519"));
            return new HostCheck.Report(host.name(), null, null, "authentication failed for root@10.0.0.11:22; "
                    + "tried: /root/.ssh/id_ed25519 (passphrase not given)");
        };
        Harness h = hosts(Locale.ENGLISH);
        pressTest(h);
        h.pumpUntil(() -> h.shows("Passphrase for"), "the passphrase dialog");
        h.type("half").key(KeyType.Escape);
        assertNull(typed.get(10, TimeUnit.SECONDS));
        h.pumpUntil(() -> h.shows("cannot be used"), "the report");
        h.assertShows("✗ cp1 (10.0.0.11) cannot be used: authentication failed for root@10.0.0.11:22; tried: "
                + "/root/.ssh/id_ed25519 (passphrase not given)", REPORT);
    }

    @Test
    void theKoreanWizardAsksForAPassphraseInKorean() throws Exception {
        CompletableFuture<char[]> typed = new CompletableFuture<>();
        tester.behaviour = (host, p) -> {
            // through the Masker, as WizardEngine hands the prompter to the transports
            TransportFactory.Prompter masked = new Masker().watching(p);
            typed.complete(masked.secret(Question.of("ssh.passphrase.retry", "/root/.ssh/id_ed25519")));
            return new HostCheck.Report(host.name(), debian(), null, null);
        };
        Harness h = hosts(Locale.KOREAN);
        pressTest(h);
        h.pumpUntil(() -> h.shows("암호 문구"), "the passphrase dialog");
        h.assertShows("암호 문구가 틀렸다. /root/.ssh/id_ed25519의 암호 문구", DIALOG);
        assertTrue(h.shows("비밀 값 입력"), h.text());
        assertTrue(h.shows("(입력한 내용은 화면에 보이지 않는다)"), h.text());
        assertFalse(h.shows("Passphrase"), h.text());
        assertFalse(h.shows("Wrong"), h.text());
        h.type("문구 pass").key(KeyType.Enter);
        assertArrayEquals("문구 pass".toCharArray(), typed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void theKoreanWizardAsksToTrustAHostKeyInKorean() throws Exception {
        CompletableFuture<Boolean> trusted = new CompletableFuture<>();
        tester.behaviour = (host, p) -> {
            trusted.complete(new Masker().watching(p).confirm(Question.of("ssh.hostKey.otherTypes", "cp1",
                    "10.0.0.11:22", "ED25519", FINGERPRINT, "/root/.ssh/known_hosts", "RSA")));
            return new HostCheck.Report(host.name(), null, null, "refused");
        };
        Harness h = hosts(Locale.KOREAN);
        pressTest(h);
        h.pumpUntil(() -> h.shows("추가하는가?"), "the host-key question");
        h.assertShows("호스트 'cp1 (10.0.0.11:22)'의 진위를 확인할 수 없다.", DIALOG);
        h.assertShows("ED25519 키 지문은 " + FINGERPRINT + "이다.", DIALOG);
        h.assertShows("이 호스트에는 /root/.ssh/known_hosts에 다른 유형의 키가 이미 있다: RSA.", DIALOG);
        h.assertShows("이 키를 신뢰하고 /root/.ssh/known_hosts에 추가하는가?", DIALOG);
        assertTrue(h.rowWith(FINGERPRINT).endsWith("│ " + FINGERPRINT + "이다." + " ".repeat(9) + "│"),
                "the fingerprint whole on one row: " + h.text());
        assertFalse(h.shows("authenticity"), h.text());
        assertTrue(h.shows("확인"), h.text());
        h.key(KeyType.Enter);
        assertFalse(trusted.get(10, TimeUnit.SECONDS), "Enter on the focused No refuses");
    }

    @Test
    void cancelStopsATestAndAnInterruptedQuestionClosesItsDialog() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        tester.behaviour = (host, p) -> {
            never.await();
            return null;
        };
        Harness h = hosts(Locale.ENGLISH);
        pressTest(h);
        h.assertShows("Connecting to cp1 (10.0.0.11) and reading its facts…", DIALOG);
        h.key(KeyType.Enter);
        assertEquals("interrupted", tester.done.get(10, TimeUnit.SECONDS));
        assertFalse(h.shows("Connecting to"), h.text());

        CompletableFuture<char[]> asked = new CompletableFuture<>();
        Thread engine = new Thread(() -> asked.complete(h.wizard.prompter.secret("sudo password for deploy on cp1")));
        engine.start();
        h.pumpUntil(() -> h.shows("sudo password for deploy on cp1"), "the sudo question");
        engine.interrupt();
        assertNull(asked.get(10, TimeUnit.SECONDS), "an aborted run declines");
        h.pumpUntil(() -> !h.shows("sudo password"), "the dialog closing");
    }

    @Test
    void theReportSpeaksKorean() {
        tester.behaviour = (host, p) -> new HostCheck.Report(host.name(), debian(), "ED25519 " + FINGERPRINT, null);
        Harness h = hosts(Locale.KOREAN);
        assertEquals(" <연결 시험>  설치할 때처럼 연결하며 아무것도 바꾸지 않는다", h.rowWith("연결 시험"));
        pressTest(h);
        h.pumpUntil(() -> h.shows("응답한다"), "the report");
        h.assertShows("✓ cp1(10.0.0.11)이(가) 응답한다.", REPORT);
        h.assertShows("메모리    7812 MiB", REPORT);
        h.assertShows("호스트 키 ED25519 " + FINGERPRINT, REPORT);
    }
}
