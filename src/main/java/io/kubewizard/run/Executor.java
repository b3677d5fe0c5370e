package io.kubewizard.run;

import io.kubewizard.plan.Facts;
import io.kubewizard.answers.Spec.ClusterSpec;
import io.kubewizard.answers.Spec.Host;
import io.kubewizard.plan.Phase;
import io.kubewizard.plan.Plan;
import io.kubewizard.plan.Step;
import io.kubewizard.render.RenderedFile;
import io.kubewizard.render.RenderedFile.OsFamily;
import io.kubewizard.run.Event.StepStatus;
import io.kubewizard.run.Transport.ExecResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a plan over the hosts' transports. Per step: its check (exit 0: already done, SKIPPED
 * without writing anything, unless it is idempotent and one of its files would change), then its
 * uploads for the host's package family, then its commands; a failed command fails the step with
 * the last lines of its stderr. A step starts once every step it depends on is done, so
 * the plan's dependencies alone order init before joins, control-plane joins one at a time and
 * workers side by side; at most {@code concurrency} steps run at once. A failure blocks the steps
 * that depend on it and nothing else. A connection that drops is retried with exponential backoff
 * for idempotent steps only: a second {@code kubeadm join} is worse than a failed one. Given a
 * {@link Steering}, a failed step instead waits for a person's Retry or Skip, and an Abort ends the run.
 */
public final class Executor {
    /**
     * Steps in flight, each on its own host. Handshakes, where sshd's MaxStartups bites, are bounded
     * in {@link Connections} instead, so 50 directly reachable hosts all work at once: with 10 here
     * a 50-node install waited for free slots at every phase (ApplyBenchmark's timeline showed it).
     */
    public static final int DEFAULT_CONCURRENCY = 50;

    private static final int TAIL_LINES = 3;

    /**
     * @param attempts       tries of an idempotent step whose connection failed, the first included
     * @param backoff        the wait before the second try; doubled for each further one, up to maxBackoff
     * @param connectSpacing the least time between two new SSH handshakes
     * @param commandTimeout the longest any one command may take
     */
    public record Options(int concurrency, int attempts, Duration backoff, Duration maxBackoff,
                          Duration connectSpacing, Duration commandTimeout) {
        public Options {
            if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
            if (attempts < 1) throw new IllegalArgumentException("attempts must be at least 1");
        }

        /** kubectl wait in verify allows 600 s, and a package install on a slow mirror takes minutes. */
        public static Options defaults(int concurrency) {
            return new Options(concurrency, 4, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMillis(100),
                    Duration.ofMinutes(30));
        }
    }

    /** Waiting, injectable so tests never sleep. */
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());
    }

    /** The bytes written for a planned file: secret files get their real values here and nowhere else. */
    public interface Uploads {
        byte[] content(RenderedFile planned, Remote remote) throws TransportException, InterruptedException;

        /** For plans without secret files (preflight, reset): the planned text as it is. */
        Uploads AS_PLANNED = (file, remote) -> {
            if (file.secret()) throw new IllegalStateException(file.path() + " is secret: its real content is needed");
            return file.content().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** Another host's file, read over its connection (the CA certificate a join pins). */
    public interface Remote {
        byte[] download(String host, String path) throws TransportException, InterruptedException;
    }

    /** Where a step's downloads go on the jump host. */
    public interface Downloads {
        /** @return where the file went */
        String save(String host, String path, byte[] content) throws IOException;

        /** The admin kubeconfig, once fetched; null before. */
        String kubeconfig();

        /**
         * Before a directory of a host (a download ending in "/") is fetched again: what an earlier
         * fetch of it kept goes, so only this run's files are there. Nothing by default.
         */
        default void forgetDirectory(String host, String directory) throws IOException {}

        Downloads NONE = new Downloads() {
            public String save(String host, String path, byte[] content) {
                throw new IllegalStateException("this run fetches nothing, yet a step asked for " + path);
            }

            public String kubeconfig() { return null; }
        };
    }

    /**
     * @param failures one line per failed step, in plan order: "control-plane/init on cp1: kubeadm exited 1: …"
     * @param refused  a host was refused for safety (a changed host key): the exit code is 3
     * @param members  hosts whose host preflight found them already part of the cluster (its check passed)
     * @param learnt   per host, what each step that {@link Step#reads reads} learnt, by the reading's id
     */
    public record Result(boolean ok, List<String> failures, int blocked, boolean refused, Map<String, StepStatus> states,
                         Map<String, Facts> facts, Set<String> members, Map<String, String> messages, String kubeconfig,
                         Map<String, Map<String, Object>> learnt) {}

    private final ClusterSpec spec;
    private final Map<String, Host> hosts = new LinkedHashMap<>();
    private final Uploads uploads;
    private final Downloads downloads;
    private final Recorder recorder;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Options options;
    private final Connections connections;
    private final boolean ownsConnections;
    private final Map<String, Facts> facts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> learnt = new ConcurrentHashMap<>();
    private volatile Steering steering;
    private boolean announce = true;
    private boolean conclude = true;
    /** Per step in flight: taken by whichever comes first, the pool starting it or an abort stopping it. */
    private final Map<String, AtomicBoolean> claims = new java.util.concurrent.ConcurrentHashMap<>();

    public Executor(ClusterSpec spec, TransportFactory transports, Uploads uploads, Downloads downloads,
                    Recorder recorder, Clock clock, Sleeper sleeper, Options options) {
        this(spec, new Connections(spec, transports, options.concurrency(), options.connectSpacing(), clock, sleeper), true,
                uploads, downloads, recorder, clock, sleeper, options);
    }

    /**
     * Over connections the caller opened and closes: the probe and the run planned from it share
     * them, so each host is connected to (and a password asked for) once.
     */
    Executor(ClusterSpec spec, Connections connections, Uploads uploads, Downloads downloads, Recorder recorder,
             Clock clock, Sleeper sleeper, Options options) {
        this(spec, connections, false, uploads, downloads, recorder, clock, sleeper, options);
    }

    private Executor(ClusterSpec spec, Connections connections, boolean ownsConnections, Uploads uploads,
                     Downloads downloads, Recorder recorder, Clock clock, Sleeper sleeper, Options options) {
        this.spec = spec;
        spec.hosts().forEach(h -> hosts.put(h.name(), h));
        this.uploads = uploads;
        this.downloads = downloads;
        this.recorder = recorder;
        this.clock = clock;
        this.sleeper = sleeper;
        this.options = options;
        this.connections = connections;
        this.ownsConnections = ownsConnections;
        // the SSH library's debug log (--verbose), masked by the recorder like every line of a host's log
        connections.diagnostics((host, line) -> recorder.log(clock.instant(), host, "ssh: " + line));
    }

    /** How a step ended, as the worker reports it to the scheduler. */
    private record Finished(Step step, StepStatus status, String message, boolean refused) {}

    /** Phases as the console shows them: started when their first step is, finished when their last is. */
    private final class Phases {
        private final Map<String, Phase> byId = new LinkedHashMap<>();
        private final Map<String, Integer> open = new HashMap<>();
        private final Set<String> started = new LinkedHashSet<>();
        private final Set<String> failed = new LinkedHashSet<>();

        Phases(Plan plan) {
            for (Phase p : plan.phases()) {
                byId.put(p.id(), p);
                open.put(p.id(), p.steps().size());
            }
        }

        void start(Step s) {
            if (started.add(s.phase())) recorder.publish(new Event.PhaseStarted(clock.instant(), s.phase(), byId.get(s.phase()).title()));
        }

        void finish(Step s, StepStatus status) {
            start(s);
            if (status == StepStatus.FAILED || status == StepStatus.BLOCKED) failed.add(s.phase());
            int left = open.merge(s.phase(), -1, Integer::sum);
            if (left == 0) recorder.publish(new Event.PhaseFinished(clock.instant(), s.phase(), !failed.contains(s.phase())));
        }
    }

    /**
     * Runs every step not finished in {@code earlier} (null for a new run).
     *
     * @throws InterruptedException when the run is stopped: steps in flight stay RUNNING in the
     *                              journal, and a resume decides what to do with them
     * @throws IOException          when the journal or a log cannot be written: the run stops, since
     *                              it could not be resumed
     */
    public Result run(Plan plan, Journal.History earlier) throws InterruptedException, IOException {
        return run(plan, earlier, null);
    }

    /** A step's work ended by an abort: its worker was interrupted. */
    private record Stopped(Step step) {}

    /** A defect or a failed write escaped a worker. */
    private record Crashed(Throwable cause) {}

    /**
     * As {@link #run(Plan, Journal.History)}, with a person deciding about each failed step through
     * {@code steering} (null: nobody, and a failure blocks what depends on it at once).
     */
    public Result run(Plan plan, Journal.History earlier, Steering steering) throws InterruptedException, IOException {
        this.steering = steering;
        // Leaving hosts are no longer in the answers' hosts, yet their steps run on them.
        if (plan.change() != null) plan.change().leaving().forEach(h -> hosts.putIfAbsent(h.name(), h));
        List<Step> steps = plan.steps();
        Map<String, Step> byKey = new LinkedHashMap<>();
        steps.forEach(s -> byKey.put(s.key(), s));
        if (announce) {
            recorder.publish(new Event.RunStarted(clock.instant(), plan.cluster(), plan.phases().stream().map(Phase::id).toList(),
                    List.copyOf(hosts.keySet()), earlier != null));
        }
        Map<String, StepStatus> state = new LinkedHashMap<>();
        Map<String, String> messages = new LinkedHashMap<>();
        Set<String> refusedBy = new LinkedHashSet<>();
        Phases phases = new Phases(plan);
        if (earlier != null) {
            facts.putAll(earlier.facts());
            for (Step s : steps) {
                if (!earlier.finished(s.key())) continue;
                // a clean-up that ran before what it follows finished runs again after it (Step#always)
                if (s.always() && s.dependsOn().stream().anyMatch(k -> byKey.containsKey(k) && !earlier.finished(k))) continue;
                state.put(s.key(), earlier.last().get(s.key()));
                phases.start(s);
                recorder.earlier(clock.instant(), s, earlier.last().get(s.key()));
                phases.finish(s, state.get(s.key()));
            }
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "kubewizard-step-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        if (steering != null) steering.attach(plan, signals);
        Map<String, Future<?>> inFlight = new HashMap<>();
        // failed steps waiting for the person, and decisions that overtook their step's result
        Set<String> undecided = new LinkedHashSet<>();
        Map<String, Steering.Decision> early = new HashMap<>();
        Set<String> stopped = new LinkedHashSet<>();
        boolean aborted = steering != null && steering.aborted();
        try {
            while (true) {
                // After an abort nothing new starts but the clean-ups of what did start (a node
                // cordoned for its upgrade is uncordoned), once what they follow has stopped.
                for (Step s : aborted ? steps.stream().filter(Step::always).toList() : steps) {
                    if (state.containsKey(s.key())) continue;
                    if (aborted) {
                        String first = s.dependsOn().isEmpty() ? null : s.dependsOn().get(0);
                        boolean started = first != null && state.get(first) != null && state.get(first) != StepStatus.BLOCKED;
                        boolean settled = s.dependsOn().stream().noneMatch(inFlight::containsKey);
                        if (!started || !settled || inFlight.size() >= options.concurrency()) continue;
                        state.put(s.key(), StepStatus.RUNNING);
                        phases.start(s);
                        inFlight.put(s.key(), submit(pool, signals, s, false));
                        continue;
                    }
                    String blocker = blocker(s, state, undecided);
                    if (blocker != null) {
                        state.put(s.key(), StepStatus.BLOCKED);
                        messages.put(s.key(), blocker);
                        phases.start(s);
                        recorder.step(clock.instant(), s, StepStatus.BLOCKED, blocker);
                        phases.finish(s, StepStatus.BLOCKED);
                        continue;
                    }
                    if (inFlight.size() >= options.concurrency() || !ready(s, state, byKey, undecided)) continue;
                    state.put(s.key(), StepStatus.RUNNING);
                    phases.start(s);
                    boolean interrupted = earlier != null && earlier.interrupted(s.key());
                    inFlight.put(s.key(), submit(pool, signals, s, interrupted));
                }
                if (inFlight.isEmpty() && (undecided.isEmpty() || aborted)) break;
                Object signal = signals.take();
                if (signal instanceof Crashed c) throw rethrown(c.cause());
                if (signal instanceof Stopped st) {
                    String key = st.step().key();
                    inFlight.remove(key);
                    stopped.add(key);
                    messages.put(key, STOPPED);
                    recorder.stopped(clock.instant(), st.step(), STOPPED);
                    phases.finish(st.step(), StepStatus.FAILED);
                } else if (signal instanceof Finished f) {
                    String key = f.step().key();
                    inFlight.remove(key);
                    state.put(key, f.status());
                    messages.remove(key);
                    if (f.message() != null) messages.put(key, f.message());
                    refusedBy.remove(key);
                    if (f.refused()) refusedBy.add(key);
                    if (f.status() == StepStatus.FAILED && steering != null && !aborted) {
                        // its phase stays open: a retry may still make it succeed
                        undecided.add(key);
                        Steering.Decision d = early.remove(key);
                        if (d != null) decide(d, byKey.get(key), state, undecided, inFlight, pool, signals, phases, messages);
                    } else {
                        phases.finish(f.step(), f.status());
                    }
                } else if (signal instanceof Steering.Abort) {
                    if (!aborted) {
                        aborted = true;
                        // A step still queued in the pool would never run, so never report: it is
                        // stopped here. One already running is interrupted and reports itself.
                        inFlight.forEach((key, w) -> {
                            if (claims.get(key).compareAndSet(false, true)) signals.add(new Stopped(byKey.get(key)));
                            else w.cancel(true);
                        });
                        for (String key : undecided) phases.finish(byKey.get(key), StepStatus.FAILED);
                    }
                } else if (signal instanceof Steering.Decision d && !aborted) {
                    String key = Steering.stepKey(d);
                    if (!byKey.containsKey(key) || !steering.decide(key)) continue;
                    if (undecided.contains(key)) decide(d, byKey.get(key), state, undecided, inFlight, pool, signals, phases, messages);
                    else early.put(key, d);
                }
            }
        } finally {
            pool.shutdownNow();
            if (ownsConnections) connections.closeAll();
            if (steering != null) steering.detach();
        }
        List<String> failures = new ArrayList<>();
        int blocked = 0;
        int notStarted = 0;
        for (Step s : steps) {
            StepStatus status = state.get(s.key());
            if (status == StepStatus.FAILED || stopped.contains(s.key())) {
                failures.add(s.id() + " on " + where(s.host()) + ": " + messages.get(s.key()));
            }
            if (status == StepStatus.BLOCKED) blocked++;
            if (status == null) notStarted++;
        }
        if (aborted) {
            failures.add("the run was aborted" + (notStarted == 0 ? "" : ": " + notStarted + " step"
                    + (notStarted == 1 ? "" : "s") + " did not start"));
        }
        String kubeconfig = downloads.kubeconfig();
        if (conclude) recorder.publish(new Event.RunFinished(clock.instant(), failures.isEmpty(), failures, kubeconfig));
        Set<String> members = new LinkedHashSet<>();
        for (Step s : steps) {
            if (s.judge() == io.kubewizard.plan.Judge.HOST_PREFLIGHT && state.get(s.key()) == StepStatus.SKIPPED) members.add(s.host());
        }
        Map<String, Map<String, Object>> read = new LinkedHashMap<>();
        learnt.forEach((host, values) -> read.put(host, Map.copyOf(values)));
        return new Result(failures.isEmpty(), failures, blocked, !refusedBy.isEmpty(), state, Map.copyOf(facts),
                Set.copyOf(members), messages, kubeconfig, read);
    }

    static final String STOPPED = "stopped: the run was aborted";

    /** Runs one step on the pool; whatever happens to it comes back as one signal. */
    private Future<?> submit(ExecutorService pool, BlockingQueue<Object> signals, Step s, boolean interruptedEarlier) {
        AtomicBoolean claim = new AtomicBoolean();
        claims.put(s.key(), claim);
        return pool.submit(() -> {
            // an abort that came first has already reported this step as stopped
            if (!claim.compareAndSet(false, true)) return;
            Object outcome;
            try {
                outcome = execute(s, interruptedEarlier);
            } catch (InterruptedException e) {
                outcome = new Stopped(s);
            } catch (Throwable e) {
                outcome = new Crashed(e);
            }
            signals.add(outcome);
        });
    }

    /** A failed step's decision: run it again, or leave it skipped (its phase then ends without it). */
    private void decide(Steering.Decision d, Step s, Map<String, StepStatus> state, Set<String> undecided,
                        Map<String, Future<?>> inFlight, ExecutorService pool, BlockingQueue<Object> signals,
                        Phases phases, Map<String, String> messages) {
        String key = s.key();
        undecided.remove(key);
        if (d instanceof Steering.Retry) {
            state.put(key, StepStatus.RUNNING);
            recorder.log(clock.instant(), s.host(), key + ": run again on request");
            inFlight.put(key, submit(pool, signals, s, false));
        } else {
            String why = "skipped on request after it failed: " + messages.get(key);
            state.put(key, StepStatus.SKIPPED);
            messages.put(key, why);
            recorder.skipped(clock.instant(), s, why);
            phases.finish(s, StepStatus.SKIPPED);
        }
    }

    /** What a worker threw, thrown here: a failed journal write as the IOException it was. */
    private static IOException rethrown(Throwable cause) {
        if (cause instanceof Recorder.RecordException r) return r.getCause();
        if (cause instanceof RuntimeException r) throw r;
        throw new IllegalStateException(cause);
    }

    /**
     * Why a step cannot run: a step it depends on failed (with no decision to come) or was blocked; a
     * clean-up, only when none of the steps it follows could run.
     */
    private static String blocker(Step s, Map<String, StepStatus> state, Set<String> undecided) {
        if (s.always()) {
            // a clean-up after a step that could not run has nothing to put back (Step#always)
            String first = s.dependsOn().isEmpty() ? null : s.dependsOn().get(0);
            return first != null && state.get(first) == StepStatus.BLOCKED ? "waits for " + first + ", which could not run" : null;
        }
        for (String dep : s.dependsOn()) {
            StepStatus d = state.get(dep);
            if (d == StepStatus.FAILED && !undecided.contains(dep)) return "waits for " + dep + ", which failed";
            if (d == StepStatus.BLOCKED) return "waits for " + dep + ", which could not run";
        }
        return null;
    }

    private static boolean ready(Step s, Map<String, StepStatus> state, Map<String, Step> byKey, Set<String> undecided) {
        for (String dep : s.dependsOn()) {
            if (!byKey.containsKey(dep)) continue;
            StepStatus d = state.get(dep);
            if (s.always()) {
                // every step it follows has ended, and no person is still to decide about one
                if (d == null || d == StepStatus.RUNNING || d == StepStatus.RETRYING || undecided.contains(dep)) return false;
            } else if (d != StepStatus.DONE && d != StepStatus.SKIPPED) {
                return false;
            }
        }
        return true;
    }

    static String where(String host) {
        return host.equals(Step.ACROSS_HOSTS) ? "all hosts" : host;
    }

    /** One step, with its retries; runs on a pool thread. */
    private Finished execute(Step s, boolean interruptedEarlier) throws InterruptedException {
        recorder.step(clock.instant(), s, StepStatus.RUNNING, null);
        try {
            return tryHard(s, interruptedEarlier);
        } catch (Recorder.RecordException e) {
            throw e;
        } catch (RuntimeException e) {
            // A defect, not a host's fault: this step fails with what is known, the other hosts go on.
            return failed(s, "internal error: " + e, false);
        }
    }

    private Finished tryHard(Step s, boolean interruptedEarlier) throws InterruptedException {
        if (s.host().equals(Step.ACROSS_HOSTS)) return across(s);
        if (interruptedEarlier && !s.idempotent() && s.check() == null) {
            return failed(s, "was running when the earlier run stopped; it runs once and has no check to tell "
                    + "whether it finished, so it is not repeated: look at " + s.host() + " (logs/" + s.host()
                    + ".log), then start a new apply without --resume", false);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(s, interruptedEarlier || attempt > 1);
            } catch (TransportException e) {
                boolean reachedBefore = connections.reached(s.host());
                connections.drop(s.host());
                String why = reason(e);
                if (e.exitCode() == 3) return failed(s, why, true);
                if (!e.transientFailure()) return failed(s, why, false);
                // A host that has not answered once in this run is down or wrongly addressed: retrying only
                // delays saying so by several connect timeouts. One that answered before may be back soon.
                if (e.unreachable() && !reachedBefore) return failed(s, why, false);
                if (!s.idempotent()) {
                    return failed(s, why + " (not retried: this step runs once; apply --resume runs its check first)", false);
                }
                if (attempt >= options.attempts()) return failed(s, why + " (gave up after " + attempt + " attempts)", false);
                Duration wait = backoff(attempt);
                recorder.step(clock.instant(), s, StepStatus.RETRYING, why + "; attempt " + (attempt + 1) + " of "
                        + options.attempts() + " in " + seconds(wait));
                sleeper.sleep(wait);
                recorder.step(clock.instant(), s, StepStatus.RUNNING, null);
            }
        }
    }

    private Duration backoff(int attempt) {
        Duration d = options.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : d;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** The transport's message without the host it starts with: the summary line names the host already. */
    private static String reason(TransportException e) {
        String m = e.getMessage();
        String prefix = e.host() + ": ";
        return m != null && m.startsWith(prefix) ? m.substring(prefix.length()) : String.valueOf(m);
    }

    /**
     * @param unfinished an earlier attempt (in this run or the one a resume continues) stopped while
     *                   the step ran: its files may be written and its commands not yet run
     */
    private Finished attempt(Step s, boolean unfinished) throws TransportException, InterruptedException {
        Host host = hosts.get(s.host());
        if (host == null) return failed(s, "is for '" + s.host() + "', which is not a host of the answers file", false);
        Facts known = facts.get(s.host());
        OsFamily family = known == null ? null : known.family();
        boolean byFamily = s.runVariesByFamily() || s.uploads().stream().anyMatch(f -> f.os() != OsFamily.ANY);
        if (byFamily && family == null) {
            return failed(s, known == null ? "the host's package family is unknown: its facts step has not finished"
                    : "unsupported OS " + known.osName() + " (ID=" + known.osId() + ")", false);
        }
        OsFamily as = family == null ? OsFamily.ANY : family;
        String arch = null;
        if (s.uploadsVaryByArch()) {
            if (known == null) return failed(s, "the host's machine is unknown: its facts step has not finished", false);
            arch = RenderedFile.archOf(known.arch());
            if (arch == null) {
                return failed(s, "has files for " + String.join(" and ", new java.util.TreeSet<>(RenderedFile.ARCHES.values()))
                        + " machines only, and this host is " + known.arch() + " (uname -m)", false);
            }
        }
        Transport t = connections.get(host);
        List<RenderedFile> files = s.uploads(as, arch);
        boolean changed = false;
        // The interrupted attempt may have written the files and stopped before the commands that make them
        // take effect (containerd restarted on its new config): the files compare equal now, yet are not in effect.
        boolean unapplied = unfinished && s.idempotent() && !files.isEmpty();
        if (s.check() != null) {
            if (s.idempotent() && !files.isEmpty()) {
                changed = changed(t, s, files);
            }
            ExecResult check = exec(t, s, s.check(), null);
            // A step that is done and will not run gets none of its files: a once-only step's files
            // were for its one run, and rewriting them could only move a running node backwards.
            if (check.ok() && !changed && !unapplied) return finished(s, StepStatus.SKIPPED, null, null);
            if (check.ok()) {
                recorder.log(clock.instant(), s.host(), s.key() + (changed ? ": done before, but a file it uploads changed"
                        : ": done before, but an interrupted attempt may have written its files without applying them")
                        + ": running it again");
            }
        }
        upload(t, s, files);
        List<String> commands = s.run(as);
        List<String> outputs = new ArrayList<>();
        if (!commands.isEmpty()) {
            List<ExecResult> results = execAll(t, s, commands, s.reads() != null ? outputs : null);
            ExecResult last = results.get(results.size() - 1);
            if (!last.ok()) {
                return failed(s, program(commands.get(results.size() - 1)) + " exited " + last.exitCode() + tail(last), false);
            }
            if (results.size() < commands.size()) {
                return failed(s, "stopped after " + results.size() + " of its " + commands.size() + " commands", false);
            }
        }
        Object value = null;
        if (s.reads() != null) {
            try {
                value = s.reads().parse(outputs);
            } catch (IllegalArgumentException e) {
                return failed(s, "cannot read the " + s.reads().id() + ": " + e.getMessage(), false);
            }
            learnt.computeIfAbsent(s.host(), h -> new ConcurrentHashMap<>()).put(s.reads().id(), value);
            if (value instanceof Facts f) facts.put(s.host(), f);
        }
        String verdict = judge(s, host, value);
        if (verdict != null) return failed(s, verdict, false);
        List<String> fetch = new ArrayList<>();
        for (String path : s.downloads()) {
            if (!path.endsWith("/")) {
                fetch.add(path);
                continue;
            }
            // A directory: every regular file directly in it, in name order.
            StringBuilder names = new StringBuilder();
            ExecResult listed = exec(t, s, "find " + path + " -mindepth 1 -maxdepth 1 -type f -printf '%f\\n' | LC_ALL=C sort", names);
            if (!listed.ok()) return failed(s, "cannot list " + path + ": find exited " + listed.exitCode() + tail(listed), false);
            names.toString().lines().filter(n -> !n.isEmpty()).forEach(n -> fetch.add(path + n));
            try {
                downloads.forgetDirectory(s.host(), path);
            } catch (IOException e) {
                return failed(s, "cannot replace the earlier copy of " + path + ": " + e.getMessage(), false);
            }
        }
        for (String path : fetch) {
            byte[] content = t.download(path);
            try {
                String saved = downloads.save(s.host(), path, content);
                recorder.log(clock.instant(), s.host(), s.key() + ": fetched " + path + " to " + saved);
            } catch (IOException | IllegalArgumentException e) {
                return failed(s, "cannot keep " + path + ": " + e.getMessage(), false);
            }
        }
        return finished(s, StepStatus.DONE, null, value instanceof Facts f ? f : null);
    }

    /** The jump host's verdict on what a step learnt: null when it passes (or the step asks for none). */
    private String judge(Step s, Host host, Object value) {
        if (s.judge() == null) return null;
        return switch (s.judge()) {
            case HOST_PREFLIGHT -> facts.containsKey(s.host())
                    ? Preflight.failures(Preflight.host(spec, host, facts.get(s.host()), false)) : null;
            case ACROSS_HOSTS_PREFLIGHT -> Preflight.failures(Preflight.across(spec, facts));
            case READ_PROBLEMS -> {
                List<?> problems = value instanceof io.kubewizard.plan.Reading.Findings f ? f.problems()
                        : value instanceof List<?> l ? l : List.of();
                yield problems.isEmpty() ? null : String.join("; ", problems.stream().map(String::valueOf).toList());
            }
        };
    }

    /**
     * One part of a larger run, whose start and end the caller announces (the probe, then the plan
     * made from what it found, shown as one run): no RunStarted and no RunFinished from this one.
     */
    public Executor part() {
        announce = false;
        conclude = false;
        return this;
    }

    /** Facts already known (the probe's), so steps that depend on a host's package family can run. */
    public Executor know(Map<String, Facts> known) {
        facts.putAll(known);
        return this;
    }

    /** The bytes each planned file is written with (secret files get their real values here). */
    /**
     * Whether writing these files would change one on the host, which makes an idempotent step run
     * even though its check passes (a new config must reach the service that reads it). A jump-host
     * file (a bundle's image, a backup) is compared by the sha256 the plan holds, without reading it.
     */
    private boolean changed(Transport t, Step s, List<RenderedFile> files)
            throws TransportException, InterruptedException {
        Map<String, String> before = remoteHashes(t, s, files);
        Remote remote = remote();
        for (RenderedFile f : files) {
            String want = f.localSha256() != null ? f.localSha256() : sha256(uploads.content(f, remote));
            if (!want.equals(before.get(f.path()))) return true;
        }
        return false;
    }

    /** One file at a time: only one file's bytes are held, however many a step sends (a bundle's images). */
    private void upload(Transport t, Step s, List<RenderedFile> files) throws TransportException, InterruptedException {
        Remote remote = remote();
        for (RenderedFile f : files) {
            byte[] content = uploads.content(f, remote);
            recorder.log(clock.instant(), s.host(), s.key() + ": upload " + f.path() + " (" + f.modeString()
                    + (f.secret() ? ", secret" : "") + ")");
            t.upload(f.path(), content, f.mode());
        }
    }

    private Remote remote() {
        return (h, path) -> connections.get(hosts.get(h)).download(path);
    }

    /** The SHA-256 of each file as the host has it now; files that do not exist are absent. */
    private Map<String, String> remoteHashes(Transport t, Step s, List<RenderedFile> files)
            throws TransportException, InterruptedException {
        StringBuilder command = new StringBuilder("sha256sum --");
        files.forEach(f -> command.append(' ').append(quote(f.path())));
        command.append(" 2>/dev/null || true");
        StringBuilder out = new StringBuilder();
        recorder.log(clock.instant(), s.host(), "$ " + command);
        t.exec(command.toString(), null, (line, stderr) -> {
            if (!stderr) out.append(line).append('\n');
        }, options.commandTimeout());
        Map<String, String> hashes = new HashMap<>();
        for (String line : out.toString().split("\n")) {
            if (line.length() > 66 && line.charAt(64) == ' ') hashes.put(line.substring(66), line.substring(0, 64));
        }
        return hashes;
    }

    /** One command, logged as {@link #execAll} logs each; its stdout appended to {@code captured} when given. */
    private ExecResult exec(Transport t, Step s, String command, StringBuilder captured)
            throws TransportException, InterruptedException {
        List<String> outputs = captured != null ? new ArrayList<>() : null;
        ExecResult r = execAll(t, s, List.of(command), outputs).get(0);
        if (captured != null) captured.append(outputs.get(0));
        return r;
    }

    /**
     * Commands of a step, in order, stopping at the first that fails: one round trip where the
     * transport can (SshTransport runs them in one shell), each still logged with its own exit
     * status and, when {@code outputs} is given, its stdout added there, one entry per command that ran.
     */
    private List<ExecResult> execAll(Transport t, Step s, List<String> commands, List<String> outputs)
            throws TransportException, InterruptedException {
        StringBuilder[] captured = new StringBuilder[commands.size()];
        for (int i = 0; i < captured.length; i++) captured[i] = new StringBuilder();
        boolean reads = outputs != null;
        List<ExecResult> results = t.execAll(commands, new Transport.Commands() {
            public void starting(int index) {
                recorder.log(clock.instant(), s.host(), "$ " + commands.get(index));
            }

            public void line(int index, String line, boolean stderr) {
                recorder.output(clock.instant(), s.host(), s.key(), line, stderr);
                if (reads && !stderr) captured[index].append(line).append('\n');
            }

            public void ended(int index, int exitCode) {
                recorder.log(clock.instant(), s.host(), "exit " + exitCode);
            }
        }, options.commandTimeout());
        if (reads) for (int i = 0; i < results.size(); i++) outputs.add(captured[i].toString());
        return results;
    }

    private Finished across(Step s) {
        if (s.judge() == null) return failed(s, "a step on the jump host has nothing to judge", false);
        if (s.judge() == io.kubewizard.plan.Judge.ACROSS_HOSTS_PREFLIGHT) {
            Preflight.across(spec, facts).forEach(c -> recorder.log(clock.instant(), s.host(), s.key() + ": " + c.verdict()
                    + " " + c.message()));
        }
        String problems = judge(s, null, null);
        return problems == null ? finished(s, StepStatus.DONE, null, null) : failed(s, problems, false);
    }

    private Finished finished(Step s, StepStatus status, String message, Facts learnt) {
        recorder.step(clock.instant(), s, status, message, learnt);
        return new Finished(s, status, recorder.masker().mask(message), false);
    }

    private Finished failed(Step s, String message, boolean refused) {
        Steering person = steering;
        // open for a decision before anyone sees the failure, so the Skip a view offers is already allowed
        if (person != null && !person.aborted()) person.await(s.key());
        recorder.step(clock.instant(), s, StepStatus.FAILED, message);
        return new Finished(s, StepStatus.FAILED, recorder.masker().mask(message), refused);
    }

    /** "kubeadm" for "kubeadm init ...", "apt-get" for "DEBIAN_FRONTEND=... apt-get ..."; "command" for shell syntax. */
    static String program(String command) {
        for (String word : command.strip().split("\\s+")) {
            if (word.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) continue;
            if (Set.of("for", "if", "while", "until", "case", "test", "[", "{", "!", "(").contains(word)) return "command";
            return word.substring(word.lastIndexOf('/') + 1);
        }
        return "command";
    }

    /** ": " and the last lines of stderr (of stdout when stderr is empty), or nothing. */
    private static String tail(ExecResult r) {
        String text = r.stderrTail() == null || r.stderrTail().isBlank() ? r.stdoutTail() : r.stderrTail();
        if (text == null) return "";
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) return "";
        return ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    static String quote(String word) {
        if (word.matches("[A-Za-z0-9_./:=@%+,-]+")) return word;
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
