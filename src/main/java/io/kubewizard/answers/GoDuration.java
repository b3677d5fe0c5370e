package io.kubewizard.answers;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as Kubernetes writes them ("8760h", "1h30m", "90s"). */
public final class GoDuration {
    private GoDuration() {}

    private static final Pattern PART = Pattern.compile("(\\d+)(h|m|s)");

    /** Parses a positive duration of hours, minutes and seconds; null when malformed or zero. */
    public static Duration parse(String text) {
        if (text == null || text.isEmpty()) return null;
        Matcher m = PART.matcher(text);
        int at = 0;
        Duration d = Duration.ZERO;
        String lastUnit = "";
        while (m.find() && m.start() == at) {
            String unit = m.group(2);
            if (!lastUnit.isEmpty() && "hms".indexOf(unit) <= "hms".indexOf(lastUnit)) return null;
            lastUnit = unit;
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (n > 10_000_000L) return null;
            d = d.plus(switch (unit) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            at = m.end();
        }
        return at == text.length() && !d.isZero() ? d : null;
    }
}
