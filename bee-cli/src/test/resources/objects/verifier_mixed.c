// SPDX-License-Identifier: GPL-2.0
/* Test object for bee verify: one program the verifier accepts, one it rejects after a branch. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counter_verify SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_verify_good(void *ctx)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counter_verify, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int bee_verify_bad(void *ctx)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counter_verify, &key);
	if (bpf_get_current_pid_tgid() & 1) {
		if (v)
			*v += 1;
		return 0;
	}
	*v += 2; /* this path has no NULL check: "invalid mem access 'map_value_or_null'" */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
