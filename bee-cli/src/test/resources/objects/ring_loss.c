// SPDX-License-Identifier: GPL-2.0
/* Test object for ring buffer losses: every exec of a program named bee_ring_burst writes BURST events
 * into a one-page ring buffer, far more than fit, in one go, so most are dropped whatever the reader
 * does. With the drop-counting helper (bee_types.h) the losses are exact; built as ring_unknown.c
 * (NO_COUNT) it reserves plainly and bee can only say "unknown". */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

#define BURST 200

struct event_t {
	u32 exec;
	u32 i;
	u64 pad[5];
};	/* 48 bytes, 56 with the record header: 73 fit 4096 bytes */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 12);
	__type(value, struct event_t);
} print_bee_burst SEC(".maps");
#ifndef NO_COUNT
BEE_RINGBUF_LOST(print_bee_burst);
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} burst_execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_ring_burst(void *ctx)
{
	/* The name as two little-endian words: a string literal would land in .rodata.str1.1. */
	u64 comm[2];
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != 0x676e69725f656562ULL || comm[1] != 0x74737275625fULL) /* "bee_ring_burst" */
		return 0;
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&burst_execs, &zero);
	u32 exec = n ? __sync_fetch_and_add(n, 1) : 0;
	for (u32 i = 0; i < BURST; i++) {
#ifdef NO_COUNT
		struct event_t *e = bpf_ringbuf_reserve(&print_bee_burst, sizeof(*e), 0);
#else
		struct event_t *e = bee_ringbuf_reserve(print_bee_burst, sizeof(*e));
#endif
		if (!e)
			continue;
		e->exec = exec;
		e->i = i;
		__builtin_memset(e->pad, 0, sizeof(e->pad));
		bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
