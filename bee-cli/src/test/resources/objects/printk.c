// SPDX-License-Identifier: GPL-2.0
/* Test object for describe and --set: bpf_printk leaves its format strings in .rodata as
 * function-local statics (handle_exec.____fmt, handle_exec.____fmt.1), beside two real const
 * volatile globals, one of them a u64 above 2^53 that JSON must keep exact. One program and one
 * ring buffer, for messages that count them and for the key a ring buffer does not have. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile u32 target_pid = 0;
const volatile u64 max_u64 = 18446744073709551615ULL;

struct event_t {
	u32 pid;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 12);
	__type(value, struct event_t);
} print_execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (target_pid && pid != target_pid)
		return 0;
	bpf_printk("exec %d (limit %llu)", pid, max_u64);
	bpf_printk("again");
	struct event_t *e = bpf_ringbuf_reserve(&print_execs, sizeof(*e), 0);
	if (e) {
		e->pid = pid;
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
