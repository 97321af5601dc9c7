// SPDX-License-Identifier: GPL-2.0
/* Test object for perf buffers and for one poll over a ring buffer and a perf buffer: every exec of a
 * program named bee_perf_small writes SMALL events into the perf event array and the same into the ring
 * buffer; every exec of bee_perf_flood writes FLOOD events into the perf event array alone, more than its
 * 256 KiB per CPU hold (56 bytes each), so the kernel drops some and says how many in PERF_RECORD_LOST. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

#define SMALL 50
#define FLOOD 6000

struct event_t {
	u32 exec;
	u32 i;
	u32 flood;
	u32 cpu;
	s64 neg;
	u64 pad[2];
};	/* 40 bytes: a perf sample of 8 + 4 + 40, padded to 56 */

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, u32);
	__type(value, struct event_t);
} print_bee_perf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct event_t);
} print_bee_ring SEC(".maps");
BEE_RINGBUF_LOST(print_bee_ring);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} perf_execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_perf_burst(void *ctx)
{
	/* The names as two little-endian words: a string literal would land in .rodata.str1.1. */
	u64 comm[2];
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != 0x667265705f656562ULL) /* "bee_perf" */
		return 0;
	u32 flood;
	if (comm[1] == 0x6c6c616d735fULL) /* "_small" */
		flood = 0;
	else if (comm[1] == 0x646f6f6c665fULL) /* "_flood" */
		flood = 1;
	else
		return 0;
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&perf_execs, &zero);
	u32 exec = n ? __sync_fetch_and_add(n, 1) : 0;
	struct event_t e = {};
	e.exec = exec;
	e.flood = flood;
	e.cpu = bpf_get_smp_processor_id();
	u32 count = flood ? FLOOD : SMALL;
	for (u32 i = 0; i < FLOOD && i < count; i++) {
		e.i = i;
		e.neg = -(s64)i * 1000;
		bpf_perf_event_output(ctx, &print_bee_perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
		if (!flood)
			bee_ringbuf_output(print_bee_ring, &e, sizeof(e));
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
