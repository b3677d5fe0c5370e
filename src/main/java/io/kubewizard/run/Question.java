package io.kubewizard.run;

import io.kubewizard.answers.ProblemTexts;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A question a connection asks a person (a password, a passphrase, trusting a host key) as a code of
 * {@code i18n/questions.properties} and its arguments, so each front end words it in its own language:
 * the console in English, the wizard in its locale. The templates follow {@link ProblemTexts}' rules.
 */
public record Question(String code, List<String> args) {
    private static final String BUNDLE = "i18n/questions";

    public Question {
        args = List.copyOf(args);
    }

    public static Question of(String code, Object... args) {
        return new Question(code, Arrays.stream(args).map(String::valueOf).toList());
    }

    /** The English text: what the console asks. */
    public String english() {
        String template = ProblemTexts.templates(BUNDLE, "").get(code);
        if (template == null) throw new IllegalArgumentException("no English text for question code '" + code + "'");
        return ProblemTexts.format(template, args);
    }

    /** The text in {@code locale}'s language, else in English. */
    public String text(Locale locale) {
        String language = locale.getLanguage();
        if (language.isEmpty() || language.equals("en")) return english();
        String template = ProblemTexts.templates(BUNDLE, language).get(code);
        return template == null ? english() : ProblemTexts.format(template, args);
    }

    /** The templates of a language ("" for English), by code in file order. */
    public static java.util.Map<String, String> templates(String language) {
        return ProblemTexts.templates(BUNDLE, language);
    }
}
