package io.kubewizard.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in invocation parked before it does anything, so a test can act at an exact point of a
 * run (kill the installer, cut the connection) and then let it go on. The stand-in writes
 * {@code <id>.reached} (its node's name) and waits for {@code <id>.released}.
 */
public final class Hold {
    private final Path dir;
    private final String id;

    Hold(Path dir, String id) {
        this.dir = dir;
        this.id = id;
    }

    /** Waits until a matching invocation is parked; returns the name of its node. */
    public String awaitReached(Duration timeout) {
        Path reached = dir.resolve(id + ".reached");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(reached)) {
                String node = SimNode.read(reached).trim();
                if (!node.isEmpty()) return node;
            }
            SimNode.sleep(20);
        }
        throw new IllegalStateException("no invocation reached hold " + id + " within " + timeout);
    }

    public boolean reached() {
        return Files.exists(dir.resolve(id + ".reached"));
    }

    /** Lets the parked invocation (and any later one of this hold) go on. */
    public void release() {
        try {
            Files.writeString(dir.resolve(id + ".released"), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
