package io.kubewizard.ssh;

import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.session.SessionContextHolder;
import org.apache.sshd.common.session.helpers.AbstractSession;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * MINA SSHD's log, as {@code ssh -vvv} would show it, in the log of the host it is about.
 *
 * <p>MINA logs through SLF4J. This is the SLF4J 2 service provider the jar binds (named in
 * META-INF/services/org.slf4j.spi.SLF4JServiceProvider; nothing else in the build provides one): a
 * record at DEBUG or above about a session goes to the sink of that session's connection attempt
 * ({@link Connector.Attempt#debug}, which writes to the run's per-host log, masked there), found from
 * the record's arguments: MINA names the session, a channel or key exchange holding it, or its I/O
 * session in nearly every line. A line that names none goes to the sink of the thread that is
 * connecting, if any. Everything else is dropped, as is everything while no {@code --verbose}
 * connection factory is open: then every logger says DEBUG is off, so MINA does not even build its
 * messages. slf4j-simple could not do this: it writes one stream per process, not one per host.
 *
 * <p>The one static state is the count of verbose factories open ({@link #listen}): SLF4J's binding is
 * process-wide by design; what a line is about decides where it goes.
 */
public final class SshDebugLog implements SLF4JServiceProvider {

    static final Consumer<String> NOWHERE = line -> { };

    private static final AtomicInteger LISTENERS = new AtomicInteger();
    private static final ThreadLocal<Consumer<String>> CONNECTING = new ThreadLocal<>();

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private final ILoggerFactory loggers = new Loggers();

    /** A verbose factory opened: MINA's loggers report DEBUG as on. */
    static void listen() { LISTENERS.incrementAndGet(); }

    /** A verbose factory closed. */
    static void unlisten() { LISTENERS.decrementAndGet(); }

    static boolean listening() { return LISTENERS.get() > 0; }

    /** Until closed, lines that name no session and are logged on this thread go to {@code sink}. */
    static Scope onThisThread(Consumer<String> sink) {
        Consumer<String> before = CONNECTING.get();
        CONNECTING.set(sink);
        return () -> {
            if (before == null) CONNECTING.remove();
            else CONNECTING.set(before);
        };
    }

    /** Ends {@link #onThisThread}; closing twice is harmless. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Where a record with these arguments goes: its session's attempt, else the connecting thread's, else nowhere. */
    static Consumer<String> sinkFor(Object[] args) {
        if (args != null) {
            for (Object arg : args) {
                Session session = session(arg);
                if (session != null) {
                    Connector.Attempt attempt = Connector.Attempt.of(session);
                    return attempt == null ? NOWHERE : attempt.debug;
                }
            }
        }
        Consumer<String> connecting = CONNECTING.get();
        return connecting == null ? NOWHERE : connecting;
    }

    private static Session session(Object arg) {
        if (arg instanceof Session s) return s;
        if (arg instanceof SessionContextHolder holder) {
            SessionContext context = holder.getSessionContext();
            if (context instanceof Session s) return s;
        }
        if (arg instanceof IoSession io) {
            try {
                return AbstractSession.getSession(io, true);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }

    /** One log line: the level, the class that logged it (without its package), the message, the cause's words. */
    static String format(Level level, String logger, String pattern, Object[] args, Throwable thrown) {
        String name = logger.substring(logger.lastIndexOf('.') + 1);
        StringBuilder sb = new StringBuilder().append(level).append(' ').append(name).append(": ")
                .append(MessageFormatter.basicArrayFormat(pattern, args));
        if (thrown != null) sb.append(": ").append(thrown);
        // one record, one log line
        return sb.toString().replace("\r", "\\r").replace("\n", "\\n");
    }

    @Override public ILoggerFactory getLoggerFactory() { return loggers; }

    @Override public IMarkerFactory getMarkerFactory() { return markers; }

    @Override public MDCAdapter getMDCAdapter() { return mdc; }

    @Override public String getRequestedApiVersion() { return "2.0.99"; }

    @Override public void initialize() { }

    private static final class Loggers implements ILoggerFactory {
        private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, RoutingLogger::new);
        }
    }

    /** Only MINA's loggers can be on: nothing else in the jar logs through SLF4J, and nothing else should reach a host's log. */
    private static final class RoutingLogger extends LegacyAbstractLogger {
        private final boolean sshd;

        RoutingLogger(String name) {
            this.name = name;
            this.sshd = name.startsWith("org.apache.sshd.");
        }

        private boolean on() { return sshd && listening(); }

        @Override public boolean isTraceEnabled() { return false; }

        @Override public boolean isDebugEnabled() { return on(); }

        @Override public boolean isInfoEnabled() { return on(); }

        @Override public boolean isWarnEnabled() { return on(); }

        @Override public boolean isErrorEnabled() { return on(); }

        @Override protected String getFullyQualifiedCallerName() { return null; }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args, Throwable thrown) {
            if (level == Level.TRACE || !on()) return;
            Consumer<String> sink = sinkFor(args);
            if (sink != NOWHERE) sink.accept(format(level, name, pattern, args, thrown));
        }
    }
}
