package dev.bee.core.init;

import dev.bee.core.object.OutputKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the C source of a new program from {@link InitChoices}. Each kind has hooks that gather the
 * fields of one occurrence into a {@code struct info_t} with a measurement in nanoseconds (connect
 * latency, open latency, process lifetime, time since the last hit) and pass both to {@code record()};
 * the map and output choices decide what {@code record()} writes: a typed ring buffer event or a hash
 * entry keyed by the label fields. Every combination builds with {@code bee build} and runs with
 * {@code bee run} as written.
 */
public final class ProgramTemplate {
    /** One struct member: C type, name, array length (0: none). */
    private record Field(String type, String name, int length, String comment) {
        String declaration() {
            return "\t" + type + " " + name + (length > 0 ? "[" + length + "]" : "") + ";"
                    + (comment == null ? "" : "\t/* " + comment + " */");
        }

        String copy(String to, String from) {
            return length > 0
                    ? "\t__builtin_memcpy(" + to + "->" + name + ", " + from + "->" + name + ", sizeof(" + to + "->" + name + "));"
                    : "\t" + to + "->" + name + " = " + from + "->" + name + ";";
        }
    }

    private final InitChoices c;
    private final String mapName;

    private ProgramTemplate(InitChoices choices) {
        this.c = choices;
        this.mapName = choices.output().prefix() + choices.kind().mapBase();
    }

    /** The C source for {@code choices}; {@code fileName} appears in its comments. */
    public static String render(InitChoices choices, String fileName) {
        return new ProgramTemplate(choices).source(fileName);
    }

    /** The name of the map the program shows (e.g. {@code counter_connects}). */
    public static String mapName(InitChoices choices) {
        return new ProgramTemplate(choices).mapName;
    }

    private String source(String fileName) {
        StringBuilder s = new StringBuilder();
        s.append("// SPDX-License-Identifier: GPL-2.0\n");
        s.append("/* ").append(fileName).append(": ").append(description()).append("\n *\n");
        s.append(" * Written by `bee init`. Build and run it with:\n");
        String object = fileName.endsWith(".c") ? fileName.substring(0, fileName.length() - 2) + ".o" : fileName + ".o";
        s.append(" *   bee build ").append(fileName).append(" -o ").append(object).append("\n");
        s.append(" *   bee run ").append(object).append("\n */\n");
        s.append("#include \"vmlinux.h\"\n#include <bpf/bpf_helpers.h>\n");
        if (c.kprobe() || c.kind() == ProgramKind.PROCESS) {
            s.append("#include <bpf/bpf_core_read.h>\n");
        }
        if (c.kprobe()) {
            s.append("#include <bpf/bpf_endian.h>\n#include <bpf/bpf_tracing.h>\n");
        }
        s.append("#include \"bee_types.h\"\n\n");
        if (c.kind() == ProgramKind.NETWORK && !c.kprobe()) {
            s.append("#define AF_INET 2\n#define IPPROTO_TCP 6\n#define TCP_ESTABLISHED 1\n#define TCP_SYN_SENT 2\n\n");
        }
        s.append(filterGlobal()).append("\n");
        s.append("/* What one ").append(occurrence()).append(" is: the hooks below fill it in. */\n");
        s.append("struct info_t {\n");
        for (Field f : labels()) {
            s.append(f.declaration()).append('\n');
        }
        for (Field f : details()) {
            s.append(f.declaration()).append('\n');
        }
        s.append("\t/* Add fields here, fill them in the hooks, and copy them in record(). */\n};\n\n");
        s.append(outputMap());
        s.append(hooks());
        s.append("\nchar LICENSE[] SEC(\"license\") = \"GPL\";\n");
        return s.toString();
    }

    private String description() {
        return switch (c.kind()) {
            case NETWORK -> c.kprobe()
                    ? "outgoing IPv4 TCP connects, on kprobe/kretprobe tcp_v4_connect (needs CONFIG_KPROBES)"
                    : "outgoing IPv4 TCP connects and their latency, on the sock/inet_sock_set_state tracepoint";
            case FILE_SYSTEM -> "files opened with openat() and how long the call took";
            case PROCESS -> "processes that exit after an exec, and how long they ran";
            case SECTION -> "every hit of " + c.section() + ", and the time since the process last hit it";
        };
    }

    private String occurrence() {
        return switch (c.kind()) {
            case NETWORK -> "connect";
            case FILE_SYSTEM -> "open";
            case PROCESS -> "exit";
            case SECTION -> "hit";
        };
    }

    /** The measurement's field name when it is a value or shown in events. */
    private String measure() {
        return switch (c.kind()) {
            case NETWORK, FILE_SYSTEM -> "latency";
            case PROCESS -> "lifetime";
            case SECTION -> "interval";
        };
    }

    private String filterGlobal() {
        if (c.kind() == ProgramKind.PROCESS) {
            return "/* Only children of this process when set: bee run --set target_ppid=1234 (0: every process). */\n"
                    + "const volatile u32 target_ppid = 0;\n";
        }
        return "/* Only this process when set: bee run --set target_pid=1234 (0: every process). */\n"
                + "const volatile u32 target_pid = 0;\n";
    }

    /** Low-cardinality fields: metric labels and hash keys. */
    private List<Field> labels() {
        return switch (c.kind()) {
            case NETWORK -> List.of(new Field("ipv4_addr", "daddr", 0, "shown as 10.0.0.1"),
                    new Field("u16", "dport", 0, null));
            case FILE_SYSTEM, PROCESS, SECTION -> List.of(new Field("char", "comm", 16, null));
        };
    }

    /** Fields only the printed events carry (too many distinct values for labels). */
    private List<Field> details() {
        return switch (c.kind()) {
            case NETWORK -> List.of(new Field("ipv4_addr", "saddr", 0, null), new Field("u32", "pid", 0, null),
                    new Field("char", "comm", 16, null));
            case FILE_SYSTEM -> List.of(new Field("u32", "pid", 0, null), new Field("char", "filename", 64, null),
                    new Field("s32", "ret", 0, "the fd, or -errno"));
            case PROCESS -> List.of(new Field("u32", "pid", 0, null), new Field("u32", "ppid", 0, null),
                    new Field("u32", "exit_code", 0, null));
            case SECTION -> List.of(new Field("u32", "pid", 0, null));
        };
    }

    private String outputMap() {
        StringBuilder s = new StringBuilder();
        OutputKind out = c.output();
        boolean ring = c.map() == InitChoices.MapKind.RINGBUF;
        List<Field> fields = new ArrayList<>(labels());
        String valueType = "u64";
        if (ring) {
            if (out == OutputKind.PRINT) {
                fields.addAll(details());
            }
            if (out == OutputKind.PRINT || out == OutputKind.GAUGE) {
                fields.add(new Field("duration", measure(), 0, out == OutputKind.GAUGE
                        ? "the last numeric field: the gauge's value" : "shown as 1.5ms"));
            } else if (out == OutputKind.HIST) {
                fields.add(new Field("u64", "le", 0, measure() + " in microseconds: the value the histogram observes"));
            }
            s.append("/* One event per ").append(occurrence()).append(": the ring buffer's value type tells bee how to decode it. */\n");
            s.append("struct event_t {\n");
        } else {
            if (out == OutputKind.HIST) {
                fields.add(new Field("u64", "le", 0, "bucket: upper bound of the " + measure() + " in microseconds"));
            }
            if (out == OutputKind.GAUGE) {
                valueType = "duration";
            }
            s.append("/* The hash map's key: one entry (one Prometheus series) per distinct key. */\n");
            s.append("struct key_t {\n");
        }
        for (Field f : fields) {
            s.append(f.declaration()).append('\n');
        }
        s.append("};\n\n");
        s.append("/* ").append(mapComment()).append(" */\n");
        s.append("struct {\n");
        if (ring) {
            s.append("\t__uint(type, BPF_MAP_TYPE_RINGBUF);\n\t__uint(max_entries, 1 << 20);\n");
            s.append("\t__type(value, struct event_t);\n");
        } else {
            s.append("\t__uint(type, BPF_MAP_TYPE_HASH);\n\t__uint(max_entries, 10240);\n");
            s.append("\t__type(key, struct key_t);\n\t__type(value, ").append(valueType).append(");\n");
        }
        s.append("} ").append(mapName).append(" SEC(\".maps\");\n");
        if (ring) {
            s.append("/* Counts the events a full ring buffer drops (bee_types.h), so bee run shows exact losses. */\n");
            s.append("BEE_RINGBUF_LOST(").append(mapName).append(");\n");
        }
        s.append('\n');

        s.append("static __always_inline void record(struct info_t *info, u64 delta_ns)\n{\n");
        if (ring) {
            s.append("\tstruct event_t *e = bee_ringbuf_reserve(").append(mapName).append(", sizeof(*e));\n");
            s.append("\tif (!e)\n\t\treturn;\t/* the ring buffer is full: the event is lost (and counted) */\n");
            for (Field f : fields) {
                if (f.name().equals(measure())) {
                    s.append("\te->").append(f.name()).append(" = delta_ns;\n");
                } else if (f.name().equals("le")) {
                    s.append("\te->le = delta_ns / 1000;\n");
                } else {
                    s.append(f.copy("e", "info")).append('\n');
                }
            }
            s.append("\tbee_ringbuf_submit(e);\n");
        } else {
            s.append("\tstruct key_t key = {};\n");
            for (Field f : labels()) {
                s.append(f.copy("(&key)", "info").replace("(&key)->", "key.")).append('\n');
            }
            if (out == OutputKind.HIST) {
                s.append("\tu64 us = delta_ns / 1000;\n\tkey.le = 1;\n");
                s.append("\tfor (int i = 0; i < 40 && key.le < us; i++)\n\t\tkey.le <<= 1;\n");
            }
            if (out == OutputKind.GAUGE) {
                s.append("\tduration value = delta_ns;\n");
                s.append("\tbpf_map_update_elem(&").append(mapName).append(", &key, &value, BPF_ANY);\n");
            } else {
                s.append("\tu64 one = 1;\n");
                s.append("\tu64 *count = bpf_map_lookup_elem(&").append(mapName).append(", &key);\n");
                s.append("\tif (count)\n\t\t__sync_fetch_and_add(count, 1);\n\telse\n");
                s.append("\t\tbpf_map_update_elem(&").append(mapName).append(", &key, &one, BPF_NOEXIST);\n");
            }
        }
        s.append("}\n\n");
        return s.toString();
    }

    private String mapComment() {
        boolean ring = c.map() == InitChoices.MapKind.RINGBUF;
        String m = measure();
        return switch (c.output()) {
            case PRINT -> ring ? "bee run prints each event." : "bee run prints each entry that changed: " + occurrence() + "s per key.";
            case COUNTER -> ring ? "A Prometheus counter: +1 per event, labelled by its fields."
                    : "A Prometheus counter per key: " + occurrence() + "s so far.";
            case GAUGE -> ring ? "A Prometheus gauge per label set: the " + m + " of the latest event."
                    : "A Prometheus gauge per key: the " + m + " of the latest " + occurrence() + ".";
            case HIST -> ring ? "A Prometheus histogram of the " + m + " (field le, in microseconds); set buckets with\n"
                    + " * bee run -b " + mapName + ",100,1000,10000"
                    : "A Prometheus histogram kept by the program: count per power-of-two bucket (key field le).";
            case NONE -> throw new IllegalStateException();
        };
    }

    private String hooks() {
        return switch (c.kind()) {
            case NETWORK -> c.kprobe() ? KPROBE_CONNECT : TRACEPOINT_CONNECT;
            case FILE_SYSTEM -> OPENAT;
            case PROCESS -> PROCESS_EXIT;
            case SECTION -> SECTION_HIT.replace("@SECTION@", c.section())
                    .replace("@NAME@", "on_" + c.section().replaceAll("[^A-Za-z0-9]+", "_")
                            .replaceAll("^_|_$", "").toLowerCase(Locale.ROOT));
        };
    }

    private static final String TRACEPOINT_CONNECT = """
            struct start_t {
            \tu64 ts;
            \tu32 pid;
            \tchar comm[16];
            };

            /* Connects in progress: the socket to when its SYN was sent, and by which process. */
            struct {
            \t__uint(type, BPF_MAP_TYPE_HASH);
            \t__uint(max_entries, 10240);
            \t__type(key, u64);
            \t__type(value, struct start_t);
            } start SEC(".maps");

            SEC("tracepoint/sock/inet_sock_set_state")
            int on_state_change(struct trace_event_raw_inet_sock_set_state *ctx)
            {
            \tif (ctx->family != AF_INET || ctx->protocol != IPPROTO_TCP)
            \t\treturn 0;
            \tu64 sk = (u64)ctx->skaddr;
            \tif (ctx->newstate == TCP_SYN_SENT) {
            \t\tstruct start_t s = { .ts = bpf_ktime_get_ns(), .pid = bpf_get_current_pid_tgid() >> 32 };
            \t\tif (target_pid && s.pid != target_pid)
            \t\t\treturn 0;
            \t\tbpf_get_current_comm(s.comm, sizeof(s.comm));
            \t\tbpf_map_update_elem(&start, &sk, &s, BPF_ANY);
            \t\treturn 0;
            \t}
            \tif (ctx->oldstate != TCP_SYN_SENT)
            \t\treturn 0;
            \tstruct start_t *s = bpf_map_lookup_elem(&start, &sk);
            \tif (!s)
            \t\treturn 0;
            \t/* Established ends the connect; any other state means it failed. */
            \tif (ctx->newstate == TCP_ESTABLISHED) {
            \t\tstruct info_t info = {};
            \t\t__builtin_memcpy(&info.saddr, ctx->saddr, 4);
            \t\t__builtin_memcpy(&info.daddr, ctx->daddr, 4);
            \t\tinfo.dport = ctx->dport;
            \t\tinfo.pid = s->pid;
            \t\t__builtin_memcpy(info.comm, s->comm, sizeof(info.comm));
            \t\trecord(&info, bpf_ktime_get_ns() - s->ts);
            \t}
            \tbpf_map_delete_elem(&start, &sk);
            \treturn 0;
            }
            """;

    private static final String KPROBE_CONNECT = """
            struct start_t {
            \tu64 ts;
            \tstruct sock *sk;
            };

            /* Connects in progress, per thread: when tcp_v4_connect() was entered, and its socket. */
            struct {
            \t__uint(type, BPF_MAP_TYPE_HASH);
            \t__uint(max_entries, 10240);
            \t__type(key, u32);
            \t__type(value, struct start_t);
            } start SEC(".maps");

            SEC("kprobe/tcp_v4_connect")
            int BPF_KPROBE(enter_connect, struct sock *sk)
            {
            \tu64 id = bpf_get_current_pid_tgid();
            \tif (target_pid && (id >> 32) != target_pid)
            \t\treturn 0;
            \tu32 tid = id;
            \tstruct start_t s = { .ts = bpf_ktime_get_ns(), .sk = sk };
            \tbpf_map_update_elem(&start, &tid, &s, BPF_ANY);
            \treturn 0;
            }

            /* The addresses are filled in once tcp_v4_connect() returns; the latency is the time it took. */
            SEC("kretprobe/tcp_v4_connect")
            int BPF_KRETPROBE(exit_connect, int ret)
            {
            \tu64 id = bpf_get_current_pid_tgid();
            \tu32 tid = id;
            \tstruct start_t *s = bpf_map_lookup_elem(&start, &tid);
            \tif (!s)
            \t\treturn 0;
            \tstruct sock *sk = s->sk;
            \tu64 delta = bpf_ktime_get_ns() - s->ts;
            \tbpf_map_delete_elem(&start, &tid);
            \tif (ret != 0)
            \t\treturn 0;
            \tstruct info_t info = {};
            \tinfo.saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
            \tinfo.daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
            \tinfo.dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
            \tinfo.pid = id >> 32;
            \tbpf_get_current_comm(info.comm, sizeof(info.comm));
            \trecord(&info, delta);
            \treturn 0;
            }
            """;

    private static final String OPENAT = """
            struct start_t {
            \tu64 ts;
            \tconst char *filename;
            };

            /* Opens in progress, per thread: when openat() was entered, and the name it was given. */
            struct {
            \t__uint(type, BPF_MAP_TYPE_HASH);
            \t__uint(max_entries, 10240);
            \t__type(key, u32);
            \t__type(value, struct start_t);
            } start SEC(".maps");

            SEC("tracepoint/syscalls/sys_enter_openat")
            int enter_openat(struct trace_event_raw_sys_enter *ctx)
            {
            \tu64 id = bpf_get_current_pid_tgid();
            \tif (target_pid && (id >> 32) != target_pid)
            \t\treturn 0;
            \tu32 tid = id;
            \tstruct start_t s = { .ts = bpf_ktime_get_ns(), .filename = (const char *)ctx->args[1] };
            \tbpf_map_update_elem(&start, &tid, &s, BPF_ANY);
            \treturn 0;
            }

            SEC("tracepoint/syscalls/sys_exit_openat")
            int exit_openat(struct trace_event_raw_sys_exit *ctx)
            {
            \tu64 id = bpf_get_current_pid_tgid();
            \tu32 tid = id;
            \tstruct start_t *s = bpf_map_lookup_elem(&start, &tid);
            \tif (!s)
            \t\treturn 0;
            \tstruct info_t info = {};
            \tinfo.pid = id >> 32;
            \tinfo.ret = ctx->ret;
            \tbpf_get_current_comm(info.comm, sizeof(info.comm));
            \tbpf_probe_read_user_str(info.filename, sizeof(info.filename), s->filename);
            \tu64 delta = bpf_ktime_get_ns() - s->ts;
            \tbpf_map_delete_elem(&start, &tid);
            \trecord(&info, delta);
            \treturn 0;
            }
            """;

    private static final String PROCESS_EXIT = """
            /* When each process last called exec(). */
            struct {
            \t__uint(type, BPF_MAP_TYPE_HASH);
            \t__uint(max_entries, 10240);
            \t__type(key, u32);
            \t__type(value, u64);
            } start SEC(".maps");

            SEC("tracepoint/sched/sched_process_exec")
            int on_exec(void *ctx)
            {
            \tstruct task_struct *task = (struct task_struct *)bpf_get_current_task();
            \tif (target_ppid && BPF_CORE_READ(task, real_parent, tgid) != target_ppid)
            \t\treturn 0;
            \tu32 pid = bpf_get_current_pid_tgid() >> 32;
            \tu64 ts = bpf_ktime_get_ns();
            \tbpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
            \treturn 0;
            }

            SEC("tracepoint/sched/sched_process_exit")
            int on_exit(void *ctx)
            {
            \tu64 id = bpf_get_current_pid_tgid();
            \tu32 pid = id >> 32;
            \tif (pid != (u32)id)
            \t\treturn 0;\t/* a thread other than the process's main one */
            \tu64 *ts = bpf_map_lookup_elem(&start, &pid);
            \tif (!ts)
            \t\treturn 0;
            \tstruct task_struct *task = (struct task_struct *)bpf_get_current_task();
            \tstruct info_t info = {};
            \tinfo.pid = pid;
            \tinfo.ppid = BPF_CORE_READ(task, real_parent, tgid);
            \tinfo.exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
            \tbpf_get_current_comm(info.comm, sizeof(info.comm));
            \tu64 delta = bpf_ktime_get_ns() - *ts;
            \tbpf_map_delete_elem(&start, &pid);
            \trecord(&info, delta);
            \treturn 0;
            }
            """;

    private static final String SECTION_HIT = """
            /* When each process last hit the hook. */
            struct {
            \t__uint(type, BPF_MAP_TYPE_HASH);
            \t__uint(max_entries, 10240);
            \t__type(key, u32);
            \t__type(value, u64);
            } last SEC(".maps");

            SEC("@SECTION@")
            int @NAME@(void *ctx)
            {
            \tu32 pid = bpf_get_current_pid_tgid() >> 32;
            \tif (target_pid && pid != target_pid)
            \t\treturn 0;
            \tu64 now = bpf_ktime_get_ns();
            \tu64 *prev = bpf_map_lookup_elem(&last, &pid);
            \tu64 delta = prev ? now - *prev : 0;
            \tbpf_map_update_elem(&last, &pid, &now, BPF_ANY);
            \tstruct info_t info = {};
            \tinfo.pid = pid;
            \tbpf_get_current_comm(info.comm, sizeof(info.comm));
            \trecord(&info, delta);
            \treturn 0;
            }
            """;
}
