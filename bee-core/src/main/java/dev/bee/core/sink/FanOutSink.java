package dev.bee.core.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands every record to each active sink in turn (stdout, metrics, screen), each with its own failure
 * policy: a sink whose failure must end the run (the output a user asked for on stdout) passes its
 * exception on; any other sink is switched off with one warning and the rest go on. Sinks that may be
 * slow (a terminal screen) must not block in {@link RecordSink#write}: they buffer and draw elsewhere.
 */
public final class FanOutSink implements RecordSink {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutSink.class);

    /** What a sink's failure does to the run. */
    public enum OnFailure { STOP_RUN, DROP_SINK }

    private record Member(String name, RecordSink sink, OnFailure onFailure) {
    }

    private final List<Member> members = new ArrayList<>();
    private Member[] active = new Member[0];

    /** Adds a sink named {@code name} (for the warning when it fails). */
    public FanOutSink add(String name, RecordSink sink, OnFailure onFailure) {
        members.add(new Member(name, sink, onFailure));
        active = members.toArray(new Member[0]);
        return this;
    }

    public boolean isEmpty() {
        return active.length == 0;
    }

    @Override
    public void write(MapRecord record) {
        Member[] a = active;
        for (Member m : a) {
            try {
                m.sink().write(record);
            } catch (RuntimeException e) {
                fail(m, e);
            }
        }
    }

    @Override
    public void flush() {
        for (Member m : active) {
            try {
                m.sink().flush();
            } catch (RuntimeException e) {
                fail(m, e);
            }
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Member m : members) {
            try {
                m.sink().close();
            } catch (RuntimeException e) {
                if (m.onFailure() == OnFailure.STOP_RUN && first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private void fail(Member m, RuntimeException e) {
        if (m.onFailure() == OnFailure.STOP_RUN) {
            throw e;
        }
        LOG.warn("the {} output failed and is off for the rest of the run: {}", m.name(), e.toString());
        members.remove(m);
        active = members.toArray(new Member[0]);
        try {
            m.sink().close();
        } catch (RuntimeException ignored) {
            // already failing; the warning above says so
        }
    }
}
