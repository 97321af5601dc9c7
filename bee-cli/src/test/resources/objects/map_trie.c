// SPDX-License-Identifier: GPL-2.0
/* Test object for a polled LPM trie (batch reads resume from a key, not a hash bucket):
 * getpriority(0x74726965, V) sets the values of three prefixes to V. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define MAGIC 0x74726965 /* "trie" */

struct prefix_t {
	u32 prefixlen;
	u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct prefix_t);
	__type(value, u64);
} counter_prefixes SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpriority")
int bee_trie(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[0] != MAGIC)
		return 0;
	u64 v = (u32)ctx->args[1];
	for (u32 i = 1; i <= 3; i++) {
		struct prefix_t key = { .prefixlen = 8 * i, .addr = 10 + i };
		bpf_map_update_elem(&counter_prefixes, &key, &v, BPF_ANY);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
