package io.kubewizard.tui;

import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.run.Event;
import io.kubewizard.run.Event.StepStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wizard in Korean: titles from the Korean bundle, and columns that line up by display width
 * (a Hangul syllable takes two terminal columns), measured with Lanterna's TerminalTextUtils.
 */
class KoreanScreensTest {
    private static final Locale KO = Locale.KOREAN;

    @TempDir Path tmp;

    private static ClusterSpec preset(String name) {
        return AnswersLoader.load(Harness.presets().resolve(name + ".yaml")).spec();
    }

    private Harness at(String preset, int page) {
        Harness h = new Harness(80, 24, Harness.options(KO, tmp, tmp).withInitial(preset(preset), null));
        h.wizard.go(page);
        h.pump();
        return h;
    }

    /** The display column where {@code cell} starts in {@code row}. */
    private static int columnOf(String row, String cell) {
        int i = row.indexOf(cell);
        assertTrue(i >= 0, "'" + cell + "' in '" + row + "'");
        return TerminalTextUtils.getColumnWidth(row.substring(0, i));
    }

    /** The display columns where each of {@code cells} starts, searched left to right. */
    private static int[] columnsOf(String row, String[] cells) {
        int[] out = new int[cells.length];
        int from = 0;
        for (int i = 0; i < cells.length; i++) {
            int at = row.indexOf(cells[i], from);
            out[i] = TerminalTextUtils.getColumnWidth(row.substring(0, at));
            from = at + cells[i].length();
        }
        return out;
    }

    @Test
    void everyPageHasItsKoreanTitle() {
        List<String> titles = List.of("시작", "클러스터", "토폴로지", "호스트", "런타임", "네트워크", "로드 밸런서", "보안",
                "고급", "소스", "검토", "실행", "완료");
        Harness h = at("single-node", 0);
        for (int i = 0; i < titles.size(); i++) {
            h.wizard.go(i);
            h.pump();
            assertEquals(" kubewizard · " + (i + 1) + "/13 " + titles.get(i), h.row(0), h.text());
        }
    }

    @Test
    void formFieldsLineUpAfterKoreanLabels() {
        Harness h = at("single-node", 1);
        String name = h.rowWith("클러스터 이름 ");
        String registry = h.rowWith("이미지 레지스트리");
        String endpoint = h.rowWith("컨트롤 플레인 엔드포인트");
        int field = columnOf(name, "single");
        assertEquals(field, columnOf(registry, "registry.k8s.io"));
        assertEquals(1 + TerminalTextUtils.getColumnWidth("컨트롤 플레인 엔드포인트") + 1, field,
                "the widest label, then one space");
        assertEquals(TerminalTextUtils.getColumnWidth(endpoint), TerminalTextUtils.getColumnWidth(registry),
                "fields of one width end their ✓ marks in one column too");
        assertTrue(endpoint.endsWith("✓"), endpoint);
        h.assertShows("host[:port]: 컨트롤 플레인이 하나면 비워 두고, 여럿이면 로드 밸런싱된 주소를 쓴다(예: "
                + "api.example.com:6443).");
    }

    @Test
    void hostsTableColumnsLineUpUnderKoreanHeaders() {
        Harness h = at("ha-stacked", 3);
        String header = h.row(3);
        assertEquals("   이름    주소      역할          SSH 덮어쓰기", header);
        for (String row : List.of(h.row(4), h.row(8))) {
            String[] cells = row.strip().split(" +");
            int[] at = columnsOf(row, cells);
            assertEquals(columnOf(header, "이름"), at[1], row);
            assertEquals(columnOf(header, "주소"), at[2], row);
            assertEquals(columnOf(header, "역할"), at[3], row);
            assertEquals(columnOf(header, "SSH 덮어쓰기"), at[4], row);
        }
        assertEquals(" ✓ worker2 10.0.0.22 worker        -", h.row(8));
        assertEquals(" < 추가 > < 편집 > < 제거 > <SSH 기본값> <~/.ssh/config 가져오기>", h.row(9),
                "buttons measure Korean labels in display columns");
        assertTrue(h.row(23).startsWith(" < 이전 > < 다음 > "), h.row(23));
    }

    @Test
    void runGridColumnsLineUpUnderKoreanHeaders() {
        RunPageTest.FakeInstaller engine = new RunPageTest.FakeInstaller();
        Harness h = new Harness(80, 24, Harness.options(KO, tmp, tmp).withInitial(preset("single-node"), null)
                .withInstaller(engine));
        h.wizard.go(h.wizard.reviewIndex());
        h.pump();
        h.terminal.addInput(new KeyStroke('n', false, true));
        h.pump();
        engine.send(new Event.RunStarted(Harness.T0, "single", List.of("connect"), List.of("node1"), false),
                new Event.PhaseStarted(Harness.T0, "connect", "SSH 연결"),
                new Event.StepChanged(Harness.T0, "connect@node1", "connect", "node1", "연결 열기",
                        StepStatus.RUNNING, null));
        h.pumpUntil(() -> h.shows("node1"), "the grid");
        String header = h.rowWith("호스트");
        String row = h.rowWith("node1");
        assertEquals(columnOf(header, "호스트"), columnOf(row, "node1"));
        assertEquals(columnOf(header, "단계"), columnOf(row, "연결 열기"));
        assertEquals(columnOf(header, "상태"), columnOf(row, "실행 중"));
        assertEquals(" 경과 00:01:15 · 페이즈 0/1 완료 · ▶ 실행 중", h.row(3));
    }

    @Test
    void validationMessagesAreKoreanAndWrapByDisplayWidth() {
        Harness h = at("single-node", 1);
        h.clear(6).type("Prod");
        // the validator's rule and arguments, in the Korean words of i18n/problems_ko.properties
        h.assertShows("✗ 'Prod'은(는) 올바른 클러스터 이름이 아니다: DNS-1123 레이블(영문 소문자, 숫자, '-'로 이루어지고 "
                + "영문자나 숫자로 시작하고 끝나며 63자 이하)을 쓴다");
        assertTrue(h.lines().stream().allMatch(l -> TerminalTextUtils.getColumnWidth(l) <= 80), h.text());
        h.wizard.next();
        h.pump();
        String status = h.row(21);
        assertEquals(" ✗ 다음으로 갈 수 없다: 이 페이지에 오류가 1개 있다(✗ 표시). 'Prod'은(는)", status);
        assertEquals("   올바른 클러스터 이름이 아니다: DNS-1123 레이블(영문 소문자, 숫자, '-'로 이 …", h.row(22),
                "two lines at most, the second indented under the message");
        assertTrue(TerminalTextUtils.getColumnWidth(status) <= 80, status);
    }

    @Test
    void overlappingSubnetsAreReportedInKoreanAsYouType() {
        Harness h = at("single-node", 5);
        assertEquals(" kubewizard · 6/13 네트워크", h.row(0));
        h.key(KeyType.Tab, 2).clear(14).type("10.96.0.0/16");
        assertEquals(" 서비스 서브넷   10.96.0.0/12             ✗", h.rowWith("서비스 서브넷"));
        h.assertShows("✗ 서비스 서브넷 10.96.0.0/12이(가) 파드 서브넷 10.96.0.0/16과(와) 겹친다");
        h.key(KeyType.Backspace, 10).type(".200.0.0/16");
        assertFalse(h.shows("✗"), h.text());
    }
}
