package io.kubewizard.run;

import io.kubewizard.run.Event.StepStatus;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Waiting for a run on another thread to report something, as the wizard's views do. */
public final class Events {
    private Events() {}

    /** Returns once {@code events} (a synchronized list) holds one that {@code seen} accepts; fails after 10 s. */
    public static void await(List<Event> events, Predicate<Event> seen, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            synchronized (events) {
                if (events.stream().anyMatch(seen)) return;
            }
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what + "; events: " + events);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A step of this key reaching this state. */
    public static Predicate<Event> step(String key, StepStatus status) {
        return e -> e instanceof Event.StepChanged s && s.stepKey().equals(key) && s.status() == status;
    }
}
