package io.kubewizard.run;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection's questions: English as the console has always asked them, a Korean text for every code. */
class QuestionTest {
    private static Set<Integer> placeholders(String template) {
        Set<Integer> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\{(\\d+)}").matcher(template);
        while (m.find()) used.add(Integer.parseInt(m.group(1)));
        return used;
    }

    @Test
    void everyCodeHasAKoreanTextWithTheSamePlaceholders() {
        Map<String, String> english = Question.templates("");
        Map<String, String> korean = Question.templates("ko");
        assertEquals(List.of("ssh.password", "ssh.password.retry", "ssh.passphrase", "ssh.passphrase.retry", "ssh.sudo",
                "ssh.sudo.retry", "ssh.hostKey", "ssh.hostKey.otherTypes"), List.copyOf(english.keySet()));
        assertEquals(english.keySet(), korean.keySet());
        for (Map.Entry<String, String> e : english.entrySet()) {
            String ko = korean.get(e.getKey());
            assertEquals(placeholders(e.getValue()), placeholders(ko), e.getKey() + ": " + ko);
            assertTrue(ko.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HANGUL),
                    e.getKey() + " is not translated: " + ko);
            assertEquals(e.getValue().chars().filter(c -> c == '\n').count(), ko.chars().filter(c -> c == '\n').count(),
                    e.getKey() + ": the same lines");
        }
    }

    @Test
    void theConsoleWordingAndTheKoreanOne() {
        Question q = Question.of("ssh.hostKey", "cp1", "10.0.0.11:22", "ED25519", "SHA256:abc", Path.of("/k/known_hosts"));
        assertEquals(List.of("cp1", "10.0.0.11:22", "ED25519", "SHA256:abc", "/k/known_hosts"), q.args());
        assertEquals("The authenticity of host 'cp1 (10.0.0.11:22)' can't be established.\nED25519 key fingerprint is "
                + "SHA256:abc.\nTrust it and add it to /k/known_hosts?", q.english());
        assertEquals(q.english(), q.text(Locale.ENGLISH));
        assertEquals(q.english(), q.text(Locale.GERMAN), "no German bundle: English");
        assertEquals("호스트 'cp1 (10.0.0.11:22)'의 진위를 확인할 수 없다.\nED25519 키 지문은 SHA256:abc이다.\n"
                + "이 키를 신뢰하고 /k/known_hosts에 추가하는가?", q.text(Locale.KOREAN));
        assertEquals("Sorry, try again. sudo password for deploy on cp1", Question.of("ssh.sudo.retry", "deploy", "cp1").english());
        assertEquals("다시 시도한다. cp1에서 deploy의 sudo 비밀번호", Question.of("ssh.sudo.retry", "deploy", "cp1").text(Locale.KOREAN));
        assertThrows(IllegalArgumentException.class, () -> Question.of("ssh.nothing").english());
    }

    @Test
    void aPrompterThatOnlyTakesTextIsAskedInEnglish() {
        List<String> asked = new java.util.ArrayList<>();
        TransportFactory.Prompter plain = new TransportFactory.Prompter() {
            public char[] secret(String question) { asked.add(question); return "pw".toCharArray(); }

            public boolean confirm(String question) { asked.add(question); return true; }
        };
        Masker masker = new Masker();
        TransportFactory.Prompter watched = masker.watching(plain);
        assertEquals("pw", new String(watched.secret(Question.of("ssh.password", "root@10.0.0.11:2222", "cp1"))));
        assertTrue(watched.confirm(Question.of("ssh.passphrase", "/k")));
        assertEquals(List.of("Password for root@10.0.0.11:2222 (cp1)", "Passphrase for /k"), asked);
        assertEquals("x " + Masker.MASK, masker.mask("x pw"), "a secret asked by code is masked too");
    }
}
