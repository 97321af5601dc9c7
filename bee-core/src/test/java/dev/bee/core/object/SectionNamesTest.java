package dev.bee.core.object;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Section names as libbpf 1.x reads them. */
class SectionNamesTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "kprobe/tcp_v4_connect|KPROBE|KPROBE|tcp_v4_connect",
            "kretprobe/tcp_v4_connect|KPROBE|KRETPROBE|tcp_v4_connect",
            "kprobe.multi/tcp_*|KPROBE|KPROBE_MULTI|tcp_*",
            "ksyscall/openat|KPROBE|KSYSCALL|openat",
            "uprobe/libc.so.6:getpid|KPROBE|UPROBE|libc.so.6:getpid",
            "uretprobe//usr/bin/bash:readline|KPROBE|URETPROBE|/usr/bin/bash:readline",
            "uprobe.s/libc.so.6:malloc+4|KPROBE|UPROBE|libc.so.6:malloc+4",
            "usdt/libc.so.6:libc:setjmp|KPROBE|USDT|libc.so.6:libc:setjmp",
            "tracepoint/syscalls/sys_enter_openat|TRACEPOINT|TRACEPOINT|syscalls/sys_enter_openat",
            "tp/sched/sched_process_exec|TRACEPOINT|TRACEPOINT|sched/sched_process_exec",
            "raw_tp/sched_switch|RAW_TRACEPOINT|RAW_TRACEPOINT|sched_switch",
            "raw_tracepoint.w/bpf_test_finish|RAW_TRACEPOINT_WRITABLE|RAW_TRACEPOINT|bpf_test_finish",
            "tp_btf/sched_process_exec|TRACING|TP_BTF|sched_process_exec",
            "fentry/do_unlinkat|TRACING|FENTRY|do_unlinkat",
            "fexit/do_unlinkat|TRACING|FEXIT|do_unlinkat",
            "fmod_ret/security_file_open|TRACING|FMOD_RET|security_file_open",
            "lsm/file_open|LSM|LSM|file_open",
            "lsm.s/bprm_committed_creds|LSM|LSM|bprm_committed_creds",
            "iter/task|TRACING|ITER|task",
            "xdp|XDP|XDP|-",
            "xdp.frags|XDP|XDP|-",
            "tc|SCHED_CLS|TC|-",
            "tc/ingress|SCHED_CLS|TC|-",
            "classifier|SCHED_CLS|TC|-",
            "socket|SOCKET_FILTER|SOCKET_FILTER|-",
            "cgroup_skb/ingress|CGROUP_SKB|CGROUP|-",
            "cgroup/connect4|CGROUP_SOCK_ADDR|CGROUP|-",
            "cgroup/sock_create|CGROUP_SOCK|CGROUP|-",
            "cgroup/sysctl|CGROUP_SYSCTL|CGROUP|-",
            "sockops|SOCK_OPS|SOCK_OPS|-",
            "sk_skb/stream_verdict|SK_SKB|SK_SKB|-",
            "sk_msg|SK_MSG|SK_MSG|-",
            "sk_lookup|SK_LOOKUP|SK_LOOKUP|-",
            "perf_event|PERF_EVENT|PERF_EVENT|-",
            "struct_ops/tcp_init|STRUCT_OPS|STRUCT_OPS|tcp_init",
            "flow_dissector|FLOW_DISSECTOR|FLOW_DISSECTOR|-",
            "netfilter|NETFILTER|NETFILTER|-",
            "syscall|SYSCALL|SYSCALL|-",
            "freplace/handler|EXT|FREPLACE|handler",
            "xdp_prog|UNSPEC|UNKNOWN|-",
            "kprobes/x|UNSPEC|UNKNOWN|-",
    })
    void parses(String section, ProgramType type, AttachKind kind, String target) {
        ProgramSection p = SectionNames.parse(section);
        assertEquals(type, p.type(), "type of " + section);
        assertEquals(kind, p.attachKind(), "attach kind of " + section);
        assertEquals(target, p.target(), "target of " + section);
    }
}
