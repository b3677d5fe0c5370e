package io.kubewizard.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's SSH port on the machine's loopback: each TCP connection accepted on
 * {@code 127.x.y.z:port} is spliced to the Unix socket the node's relay listens on (a socket file on
 * a directory both namespaces see). No test address is configured outside the test's namespaces.
 * It can also cut every open connection, or go silent (accept and never answer) to look like a
 * host that does not respond.
 */
final class LoopbackRelay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean silent;

    LoopbackRelay(String loopbackAddress, Path socket, String name) throws IOException {
        this.socket = socket;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(loopbackAddress, 0), 64);
        acceptor = new Thread(this::acceptLoop, "kw-sim-relay-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void silent(boolean value) {
        silent = value;
    }

    /** Resets every open connection (SO_LINGER 0), as a dropped link looks to the client. */
    void cutAll() {
        for (SocketChannel c : open) abort(c);
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            open.add(client);
            if (silent) continue;
            SocketChannel node;
            try {
                node = SocketChannel.open(StandardProtocolFamily.UNIX);
                node.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                abort(client);
                continue;
            }
            open.add(node);
            AtomicInteger ended = new AtomicInteger();
            pump(client, node, ended);
            pump(node, client, ended);
        }
    }

    /** Copies one direction; the second direction to end closes both channels. */
    private void pump(SocketChannel from, SocketChannel to, AtomicInteger ended) {
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) to.write(buf);
                    buf.clear();
                }
                to.shutdownOutput();
                if (ended.incrementAndGet() == 2) closeBoth(from, to);
            } catch (IOException e) {
                closeBoth(from, to);
            }
        }, "kw-sim-pump");
        t.setDaemon(true);
        t.start();
    }

    private void closeBoth(SocketChannel a, SocketChannel b) {
        close(a);
        close(b);
    }

    private void close(SocketChannel c) {
        open.remove(c);
        try {
            c.close();
        } catch (IOException ignored) {
            // Already gone: nothing left to release.
        }
    }

    private void abort(SocketChannel c) {
        try {
            if (c.getLocalAddress() instanceof InetSocketAddress) c.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // Closing below still ends the connection, with a FIN instead of a reset.
        }
        close(c);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // The accept loop ends either way.
        }
        cutAll();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
