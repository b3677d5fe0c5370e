package io.kubewizard.tui;

import io.kubewizard.answers.Problem;
import io.kubewizard.answers.ProblemTexts;

import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The wizard's words, from {@code i18n/messages*.properties}. A locale without its own bundle gets
 * English, never the JVM's default locale: {@code --lang en} on a Korean desktop means English.
 */
public final class Messages {
    private static final String BUNDLE = "i18n.messages";

    private final ResourceBundle bundle;
    private final Locale locale;

    private Messages(ResourceBundle bundle, Locale locale) {
        this.bundle = bundle;
        this.locale = locale;
    }

    public static Messages of(Locale locale) {
        ResourceBundle b = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        return new Messages(b, b.getLocale().getLanguage().isEmpty() ? Locale.ENGLISH : b.getLocale());
    }

    /** "ko", "ko_KR.UTF-8", "en" — the forms --lang and LANG take. */
    public static Locale parseLocale(String tag) {
        String t = tag.trim();
        int dot = t.indexOf('.');
        if (dot >= 0) t = t.substring(0, dot);
        int at = t.indexOf('@');
        if (at >= 0) t = t.substring(0, at);
        if (t.isEmpty() || t.equals("C") || t.equals("POSIX")) return Locale.ENGLISH;
        return Locale.forLanguageTag(t.replace('_', '-'));
    }

    /** The locale the environment asks for: LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them. */
    public static Locale fromEnvironment(java.util.Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) return parseLocale(v);
        }
        return Locale.ENGLISH;
    }

    public Locale locale() { return locale; }

    /** The text for a key, a {@link MessageFormat} pattern (so an apostrophe is written '' in every message). */
    public String get(String key, Object... args) {
        String text;
        try {
            text = bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalArgumentException("no message '" + key + "' in " + BUNDLE, e);
        }
        return new MessageFormat(text, locale).format(args);
    }

    /**
     * Problems in this language: a validation rule's from its code ({@link ProblemTexts}, the same rule
     * and arguments the CLI prints in English), the form's own from this bundle, anything else as it is.
     */
    List<Problem> problems(List<Problem> problems) {
        return problems.stream().map(p -> p.withMessage(p.code() != null && p.code().startsWith(FORM)
                ? get(p.code(), p.args().toArray()) : ProblemTexts.text(p, locale))).toList();
    }

    /** The prefix of the codes of the form's own problems (FormState), which this bundle words. */
    static final String FORM = "form.";
}
