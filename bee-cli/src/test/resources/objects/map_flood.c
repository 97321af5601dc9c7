// SPDX-License-Identifier: GPL-2.0
/* Test object for a hash map far bigger than bee's heap holds decoded: getpriority(0x666c6f6f, N)
 * puts N new keys into counter_flood at once (bpf_loop), numbered on from the last call's keys. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define MAGIC 0x666c6f6f /* "floo": no other test object uses it */

struct flow_t {
	u32 id;
	u32 port;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 262144);
	__type(key, struct flow_t);
	__type(value, u64);
} counter_flood SEC(".maps");

u32 next_id = 0;

static long fill(u32 i, void *ctx)
{
	struct flow_t key = { .id = next_id + i, .port = (next_id + i) & 0xffff };
	u64 one = 1;
	bpf_map_update_elem(&counter_flood, &key, &one, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpriority")
int bee_flood(struct trace_event_raw_sys_enter *ctx)
{
	if (ctx->args[0] != MAGIC)
		return 0;
	u32 n = (u32)ctx->args[1];
	if (n > 262144)
		n = 262144;
	bpf_loop(n, fill, NULL, 0);
	next_id += n;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
