// SPDX-License-Identifier: GPL-2.0
/* Test object for bee run's lifecycle: a uniquely named program on a tracepoint that fires often
 * (every exec), a ring buffer and a hash map, so leaks of programs, links
 * or maps show up by name in bpftool. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event_t {
	u32 pid;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 12);
	__type(value, struct event_t);
} print_bee_lifecycle SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, u32);
	__type(value, u64);
} counter_bee_lifecycle SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_lifecycle_probe(void *ctx)
{
	struct event_t *e = bpf_ringbuf_reserve(&print_bee_lifecycle, sizeof(*e), 0);
	if (e) {
		e->pid = bpf_get_current_pid_tgid() >> 32;
		bpf_ringbuf_submit(e, 0);
	}
	u32 key = 0;
	u64 one = 1;
	u64 *v = bpf_map_lookup_elem(&counter_bee_lifecycle, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counter_bee_lifecycle, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
