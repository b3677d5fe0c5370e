package io.kubewizard.console;

import java.time.Duration;
import java.time.Instant;

/** "01:23", "1:02:03": time since the run started, as both progress views print it. */
final class Elapsed {
    private Elapsed() {}

    static String between(Instant start, Instant now) {
        long s = Math.max(0, Duration.between(start, now).getSeconds());
        if (s >= 3600) return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        return String.format("%02d:%02d", s / 60, s % 60);
    }
}
