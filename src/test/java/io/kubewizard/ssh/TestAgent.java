package io.kubewizard.ssh;

import org.apache.sshd.agent.common.AbstractAgentClient;
import org.apache.sshd.agent.local.AgentImpl;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** An ssh-agent on a unix socket, JDK-only: MINA's in-memory agent behind the agent protocol. */
final class TestAgent implements AutoCloseable {

    final AtomicInteger signatures = new AtomicInteger();
    private final AgentImpl keys = new AgentImpl() {
        @Override
        public Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algo, byte[] data) throws IOException {
            signatures.incrementAndGet();
            return super.sign(session, key, algo, data);
        }
    };
    private final ServerSocketChannel server;
    final Path socket;

    TestAgent(Path socket) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(this::accept, "test-agent");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    void add(KeyPair pair) throws IOException {
        keys.addIdentity(pair, "test");
    }

    private void accept() {
        try {
            while (server.isOpen()) {
                SocketChannel ch = server.accept();
                Thread t = new Thread(() -> serve(ch), "test-agent-connection");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException closed) {
            // the test is over
        }
    }

    private void serve(SocketChannel ch) {
        AbstractAgentClient protocol = new AbstractAgentClient(keys) {
            @Override
            protected void reply(Buffer buf) throws IOException {
                ByteBuffer out = ByteBuffer.wrap(buf.array(), buf.rpos(), buf.available());
                while (out.hasRemaining()) ch.write(out);
            }
        };
        try (ch) {
            ByteBuffer in = ByteBuffer.allocate(8192);
            while (ch.read(in) >= 0) {
                in.flip();
                byte[] bytes = new byte[in.remaining()];
                in.get(bytes);
                in.clear();
                protocol.messageReceived(new ByteArrayBuffer(bytes));
            }
        } catch (IOException gone) {
            // client closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
