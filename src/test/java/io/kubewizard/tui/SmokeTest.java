package io.kubewizard.tui;

import io.kubewizard.answers.AnswersLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;

class SmokeTest {
    @TempDir Path tmp;

    @Test
    void show() throws Exception {
        var spec = AnswersLoader.load(Harness.presets().resolve(System.getProperty("preset", "single-node") + ".yaml")).spec();
        Harness h = new Harness(80, 24, Harness.options(Locale.forLanguageTag(System.getProperty("lang", "en")), tmp, tmp).withInitial(spec, null));
        for (int page = 0; page < 12; page++) {
            h.wizard.go(page);
            h.pump();
            System.out.println("=".repeat(80));
            System.out.println(h.text());
        }
    }
}
