package io.kubewizard.answers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of the validation rules and of the answers loader: {@code i18n/problems.properties} (English, what the CLI prints)
 * and {@code i18n/problems_<language>.properties}, one template per {@link Problem#code()}. A
 * template is plain text with {@code {0}}, {@code {1}} … for the arguments; nothing else is special
 * (not a MessageFormat: an apostrophe is an apostrophe, and numbers are never regrouped).
 */
public final class ProblemTexts {
    private ProblemTexts() {}

    private static final String BASE = "i18n/problems";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");
    private static final Map<String, Map<String, String>> BY_BUNDLE = new ConcurrentHashMap<>();

    /** The templates of a language ("" for English), by code in file order; empty when it has none. */
    public static Map<String, String> templates(String language) {
        return templates(BASE, language);
    }

    /**
     * The templates of another bundle written the same way ({@code base} such as "i18n/questions"),
     * so every coded text of kubewizard follows one set of rules.
     */
    public static Map<String, String> templates(String base, String language) {
        return BY_BUNDLE.computeIfAbsent(base + "_" + language, k -> load(base, language));
    }

    /** The English text of a code: the message every front end of kubewizard prints. */
    static String english(String code, List<String> args) {
        String template = templates("").get(code);
        if (template == null) throw new IllegalArgumentException("no English text for problem code '" + code + "'");
        return format(template, args);
    }

    /**
     * The problem's message in {@code locale}'s language: its code's template there, else its
     * English message (a problem without a code, or a language without a translation).
     */
    public static String text(Problem p, Locale locale) {
        if (p.code() == null || locale.getLanguage().isEmpty() || locale.getLanguage().equals("en")) return p.message();
        String template = templates(locale.getLanguage()).get(p.code());
        return template == null ? p.message() : format(template, p.args());
    }

    public static String format(String template, List<String> args) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            int i = Integer.parseInt(m.group(1));
            if (i >= args.size()) throw new IllegalArgumentException("'" + template + "' wants argument " + i
                    + " but has " + args.size());
            m.appendReplacement(sb, Matcher.quoteReplacement(args.get(i)));
        }
        return m.appendTail(sb).toString();
    }

    private static Map<String, String> load(String base, String language) {
        String name = base + (language.isEmpty() ? "" : "_" + language) + ".properties";
        try (InputStream in = ProblemTexts.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                if (language.isEmpty()) throw new IllegalStateException(name + " is missing from the class path");
                return Map.of();
            }
            Map<String, String> ordered = new LinkedHashMap<>();
            // Properties forgets the order; file order keeps a listing of the codes readable
            new Properties() {
                @Override
                public synchronized Object put(Object key, Object value) {
                    ordered.put((String) key, (String) value);
                    return super.put(key, value);
                }
            }.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return Collections.unmodifiableMap(ordered);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
