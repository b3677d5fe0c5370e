package io.kubewizard.run;

import io.kubewizard.plan.Json;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --events FILE}: every event as one JSON line, {@code type} first (the event's record
 * name), then its fields by name, for programs that follow a run. A write failure is kept and
 * reported when the run ends: a listener must not throw into the engine.
 */
public final class EventsFile implements Event.Listener, AutoCloseable {
    private final Path file;
    private final BufferedWriter out;
    private IOException failure;

    private EventsFile(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** A new file, or one continued (a resumed run appends to its run directory's events). */
    public static EventsFile open(Path file, boolean append) throws IOException {
        // a stream, not a channel: events are written on step threads, which an abort interrupts
        return new EventsFile(file, new BufferedWriter(new OutputStreamWriter(new FileOutputStream(file.toFile(), append),
                StandardCharsets.UTF_8)));
    }

    public static String json(Event event) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("type", event.getClass().getSimpleName());
        for (RecordComponent c : event.getClass().getRecordComponents()) {
            try {
                line.put(c.getName(), value(c.getAccessor().invoke(event)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + event.getClass(), e);
            }
        }
        return Json.write(line);
    }

    private static Object value(Object v) {
        if (v instanceof Instant i) return i.toString();
        if (v instanceof Enum<?> e) return e.name();
        if (v instanceof List<?> l) return l.stream().map(EventsFile::value).toList();
        return v;
    }

    @Override
    public synchronized void on(Event event) {
        if (failure != null) return;
        try {
            out.write(json(event));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Why the file stopped being written, or null. */
    public synchronized String failure() {
        return failure == null ? null : "cannot write " + file + ": " + failure.getMessage();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
