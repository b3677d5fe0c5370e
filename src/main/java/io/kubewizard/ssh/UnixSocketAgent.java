package io.kubewizard.ssh;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * An ssh-agent client over the agent's unix socket (SSH_AUTH_SOCK). MINA's own unix agent client
 * needs Tomcat's native APR library; Java 16+ speaks unix sockets itself, and the agent protocol
 * (length-prefixed requests, one answer each) is MINA's {@link AbstractAgentProxy}.
 */
final class UnixSocketAgent extends AbstractAgentProxy {

    /** Largest answer accepted: an agent with hundreds of RSA keys stays far below. */
    private static final int MAX_ANSWER = 256 * 1024;

    private final SocketChannel channel;
    private final Selector selector;
    private final long timeoutMillis;

    UnixSocketAgent(String socket, Duration timeout) throws IOException {
        super(null);
        this.timeoutMillis = timeout.toMillis();
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) channel.write(out);
        ByteBuffer length = ByteBuffer.allocate(4);
        fill(length);
        int size = length.flip().getInt();
        if (size <= 0 || size > MAX_ANSWER) throw new IOException("ssh-agent answered with a bad length " + size);
        ByteBuffer answer = ByteBuffer.allocate(size);
        fill(answer);
        return new ByteArrayBuffer(answer.array());
    }

    /** Reads until {@code into} is full; an agent that stops answering fails after the timeout. */
    private void fill(ByteBuffer into) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (into.hasRemaining()) {
            int n = channel.read(into);
            if (n < 0) throw new EOFException("ssh-agent closed the connection");
            if (n > 0) continue;
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) throw new IOException("ssh-agent did not answer within " + timeoutMillis + " ms");
            selector.select(left);
            selector.selectedKeys().clear();
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    /**
     * Gives each authentication an agent connection, when the session's settings allow one. MINA
     * asks its (client-wide) agent factory for every session; {@code allowed} says which may use it.
     */
    static final class Factory implements SshAgentFactory {
        private final String socket;
        private final Duration timeout;
        private final Predicate<Session> allowed;
        private final java.util.function.BiConsumer<Session, String> unreachable;

        Factory(String socket, Duration timeout, Predicate<Session> allowed,
                java.util.function.BiConsumer<Session, String> unreachable) {
            this.socket = socket;
            this.timeout = timeout;
            this.allowed = allowed;
            this.unreachable = unreachable;
        }

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) {
            if (socket == null || !allowed.test(session)) return null;
            try {
                return new UnixSocketAgent(socket, timeout);
            } catch (IOException | RuntimeException e) {
                unreachable.accept(session, "ssh-agent at " + socket + " unreachable: " + e.getMessage());
                return null;
            }
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) throws IOException {
            throw new IOException("agent forwarding is not offered");
        }
    }
}
