package io.kubewizard.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code <run dir>/lock}: held (an OS file lock) while a command changes a cluster, so two applies,
 * or an apply and a reset, never work on one cluster at once. The OS drops the lock when the
 * process dies, however it dies, so a killed run never leaves a stale lock behind.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = "lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process (or another command in this one) holds the lock. */
    public static final class HeldException extends Exception {
        HeldException(String message) { super(message); }
    }

    public static RunLock acquire(Path runDir, String cluster) throws IOException, HeldException {
        Path file = runDir.resolve(FILE);
        FileChannel channel = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException inThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            String holder = Files.readString(file, StandardCharsets.US_ASCII).strip();
            throw new HeldException("another kubewizard is working on cluster '" + cluster + "'"
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + ": " + file
                    + " is locked; wait for it to finish, or stop it first");
        }
        // Who holds it, for the message another process shows; the lock itself is what counts.
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new RunLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
