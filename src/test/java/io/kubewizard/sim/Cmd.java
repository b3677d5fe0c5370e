package io.kubewizard.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A program run to completion with a deadline, stdout and stderr kept apart. */
public final class Cmd {
    private Cmd() {}

    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** This result, or an exception naming the command and both outputs. */
        public Result ok() {
            if (exitCode != 0) throw new IllegalStateException(this.toString());
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, command, null);
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command), null);
    }

    /** Runs {@code command} feeding {@code stdin} (closed at once when null); kills it after the timeout. */
    public static Result run(Duration timeout, List<String> command, byte[] stdin) {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + String.join(" ", command), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (var in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException e) {
            // The program may exit without reading its input; its exit code says what happened.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\nstdout so far: " + out.getNow("") + "\nstderr so far: " + err.getNow(""));
            }
            return new Result(List.copyOf(command), p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not read the output of " + String.join(" ", command), e);
        }
    }

    /** Own threads: the common pool has a single thread on a 2-core machine and a blocking read would starve it. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kw-sim-output");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, READERS);
    }
}
