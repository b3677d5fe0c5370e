package io.kubewizard.run;

import io.kubewizard.answers.AnswersLoader;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.pki.PkiMaterial;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.Render;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.testsupport.Presets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** A preset, its plan, fake hosts for it, and an executor over them that records what it did. */
final class Fixture {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    final ClusterSpec spec;
    final Plan plan;
    final FakeCluster hosts;
    final Path runDir;
    final RunSecrets secrets;
    final Masker masker = new Masker();
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    Fixture(String preset, Path runDir) {
        this(spec(preset), runDir);
    }

    Fixture(ClusterSpec spec, Path runDir) {
        this.spec = spec;
        this.plan = Engine.whole(spec, PkiMaterial.NONE);
        this.runDir = runDir;
        try {
            this.secrets = RunSecrets.ensure(runDir, new SecureRandom());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        secrets.maskIn(masker);
        this.hosts = new FakeCluster(spec, plan).kubeadmWritesFiles();
    }

    static ClusterSpec spec(String preset) {
        AnswersLoader.Result r = AnswersLoader.load(Presets.path(preset));
        assertFalse(r.hasErrors(), r.problems()::toString);
        return r.spec();
    }

    Executor.Options options(int concurrency) {
        return new Executor.Options(concurrency, 4, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ZERO,
                Duration.ofMinutes(1));
    }

    Executor executor(Executor.Options options, Recorder recorder) {
        SecretFiles uploads = new SecretFiles(s -> Render.render(spec, s), secrets, null, spec.firstControlPlane().name());
        return new Executor(spec, hosts, uploads, new FetchedFiles(runDir, spec.cluster().name()), recorder, CLOCK,
                sleeps::add, options);
    }

    Executor.Result run(int concurrency) {
        return run(options(concurrency), Journal.none(), null);
    }

    Executor.Result run(Executor.Options options, Journal journal, Journal.History earlier) {
        return run(options, journal, earlier, null);
    }

    /** A run with a person deciding about failed steps through {@code steering}. */
    Executor.Result run(Executor.Options options, Journal journal, Journal.History earlier, Steering steering) {
        try (Recorder recorder = new Recorder(masker, journal, runDir.resolve("logs"), List.of(events::add))) {
            return executor(options, recorder).run(plan, earlier, steering);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    Step step(String key) {
        return plan.steps().stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + key));
    }

    /** Every step that waits, directly or through others, on one of {@code failed}. */
    Set<String> dependents(Set<String> failed) {
        Set<String> out = new java.util.LinkedHashSet<>();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Step s : plan.steps()) {
                if (out.contains(s.key())) continue;
                if (s.dependsOn().stream().anyMatch(d -> failed.contains(d) || out.contains(d))) grew = out.add(s.key());
            }
        }
        return out;
    }

    static Set<String> withStatus(Executor.Result r, StepStatus status) {
        return r.states().entrySet().stream().filter(e -> e.getValue() == status).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    List<Event.StepChanged> stepEvents() {
        synchronized (events) {
            return events.stream().filter(e -> e instanceof Event.StepChanged).map(e -> (Event.StepChanged) e).toList();
        }
    }
}
