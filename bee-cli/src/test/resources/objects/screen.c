// SPDX-License-Identifier: GPL-2.0
/* Test object for bee run's screen (ScreenIT): each exec of a program whose name starts with "bsx_"
 * (copies of /bin/true the test makes and runs) is an event in a ring buffer and a count per name in a
 * hash map, so the test alone decides what both panels show. "bsx_bad" writes a 4-byte event instead,
 * which bee counts as malformed and warns about once. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct event_t {
	u32 pid;
	char comm[16];
};

struct key_t {
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct event_t);
} print_bsx_execs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct key_t);
	__type(value, u64);
} counter_bsx_execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_screen_probe(void *ctx)
{
	struct key_t key = {};
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	if (key.comm[0] != 'b' || key.comm[1] != 's' || key.comm[2] != 'x' || key.comm[3] != '_')
		return 0;
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (key.comm[4] == 'b' && key.comm[5] == 'a' && key.comm[6] == 'd' && key.comm[7] == 0) {
		bpf_ringbuf_output(&print_bsx_execs, &pid, sizeof(pid), 0);
		return 0;
	}
	struct event_t *e = bpf_ringbuf_reserve(&print_bsx_execs, sizeof(*e), 0);
	if (e) {
		e->pid = pid;
		__builtin_memcpy(e->comm, key.comm, sizeof(e->comm));
		bpf_ringbuf_submit(e, 0);
	}
	u64 one = 1;
	u64 *v = bpf_map_lookup_elem(&counter_bsx_execs, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counter_bsx_execs, &key, &one, BPF_NOEXIST);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
