package io.kubewizard.ssh;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpErrorDataHandler;
import org.apache.sshd.sftp.client.SftpVersionSelector;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.impl.DefaultCloseableHandle;
import org.apache.sshd.sftp.client.impl.DefaultSftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.io.IOException;

/**
 * An SFTP v3 client (what OpenSSH's sftp-server speaks) that can write a file atomically with its
 * mode: the temporary file is created 0600 in the OPEN request itself, so a secret is never
 * readable by others, not even between create and chmod (MINA's {@code open} sends no attributes).
 */
final class Sftp extends DefaultSftpClient {

    static final String POSIX_RENAME = "posix-rename@openssh.com";
    private static final int CHUNK = 32 * 1024;

    Sftp(ClientSession session) throws IOException {
        super(session, SftpVersionSelector.fixedVersionSelector(SftpConstants.SFTP_V3), SftpErrorDataHandler.EMPTY);
    }

    /**
     * Writes {@code content} to {@code dir/.name.kw-tmp}, sets {@code mode} and renames it over
     * {@code dir/name}; creates missing parent directories.
     */
    void writeAtomically(String path, byte[] content, int mode) throws IOException {
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        String temp = (dir.equals("/") ? "" : dir) + "/." + path.substring(slash + 1) + ".kw-tmp";
        makeDirectories(dir);
        removeIfPresent(temp);
        writeNew(temp, content);
        setStat(temp, new Attributes().perms(mode));
        if (getServerExtensions().containsKey(POSIX_RENAME)) {
            getExtension(OpenSSHPosixRenameExtension.class).posixRename(temp, path);
        } else {
            // plain SFTP v3 rename refuses to replace a file
            removeIfPresent(path);
            rename(temp, path);
        }
    }

    /** Creates {@code path} with mode 0600 (failing if it exists) and writes {@code content}. */
    void writeNew(String path, byte[] content) throws IOException {
        try (CloseableHandle handle = createPrivate(path)) {
            for (int off = 0; off < content.length; off += CHUNK) {
                write(handle, off, content, off, Math.min(CHUNK, content.length - off));
            }
        }
    }

    byte[] readAll(String path) throws IOException {
        try (var in = read(path)) {
            return in.readAllBytes();
        }
    }

    private CloseableHandle createPrivate(String path) throws IOException {
        Buffer buffer = new ByteArrayBuffer(path.length() + Long.SIZE, false);
        buffer = putReferencedName(SftpConstants.SSH_FXP_OPEN, buffer, path, 0);
        buffer.putInt(SftpConstants.SSH_FXF_WRITE | SftpConstants.SSH_FXF_CREAT | SftpConstants.SSH_FXF_TRUNC
                | SftpConstants.SSH_FXF_EXCL);
        buffer = writeAttributes(SftpConstants.SSH_FXP_OPEN, buffer, new Attributes().perms(0600));
        return new DefaultCloseableHandle(this, path, checkHandle(SftpConstants.SSH_FXP_OPEN, buffer));
    }

    private void makeDirectories(String dir) throws IOException {
        if (dir.equals("/")) return;
        try {
            if (!stat(dir).isDirectory()) throw new IOException(dir + " exists and is not a directory");
            return;
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) throw e;
        }
        int slash = dir.lastIndexOf('/');
        makeDirectories(slash == 0 ? "/" : dir.substring(0, slash));
        mkdir(dir);
    }

    private void removeIfPresent(String path) throws IOException {
        try {
            remove(path);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) throw e;
        }
    }
}
