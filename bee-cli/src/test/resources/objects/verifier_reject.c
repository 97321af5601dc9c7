// SPDX-License-Identifier: GPL-2.0
/* Test object the verifier must reject: a map value used without the NULL check. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, u32);
	__type(value, u64);
} counter_rejected SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_rejected_probe(void *ctx)
{
	u32 key = 0;
	u64 *v = bpf_map_lookup_elem(&counter_rejected, &key);
	*v += 1; /* no NULL check: "invalid mem access 'map_value_or_null'" */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
