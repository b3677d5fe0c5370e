package io.kubewizard.run;

import java.nio.file.Path;

/** Run as its own process by EngineTest: holds a run directory's lock until its stdin closes. */
public final class HoldLock {
    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]), args[1])) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold the lock until the parent closes our stdin
            }
        }
    }
}
