// SPDX-License-Identifier: GPL-2.0
/* Test object for the two ring buffer readers: every exec of a program named bee_ring_mixed writes 100
 * records into a 16 KiB ring, discarding every third, so the ring wraps many times over a run and
 * records of 48 bytes (with their header) straddle its end. The fields cover the in-place decoder's
 * kinds (unsigned, signed, bool, chars, enum) and a hinted one (decoded from a copy). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

enum mix_kind { MIX_EVEN = 0, MIX_ODD = 1 };

struct event_t {
	u32 exec;
	u32 i;
	s32 neg;
	bool odd;
	u8 small;
	u16 wide;
	char tag[12];
	enum mix_kind kind;
	ipv4_addr addr;
};	/* 36 bytes: 48 with the record header, which does not divide the ring */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 14);
	__type(value, struct event_t);
} print_bee_mixed SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} mixed_execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int bee_ring_mixed(void *ctx)
{
	/* The name as two little-endian words: a string literal would land in .rodata.str1.1. */
	u64 comm[2];
	bpf_get_current_comm(comm, sizeof(comm));
	if (comm[0] != 0x676e69725f656562ULL || comm[1] != 0x646578696d5fULL) /* "bee_ring_mixed" */
		return 0;
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&mixed_execs, &zero);
	u32 exec = n ? __sync_fetch_and_add(n, 1) : 0;
	for (u32 i = 0; i < 100; i++) {
		struct event_t *e = bpf_ringbuf_reserve(&print_bee_mixed, sizeof(*e), 0);
		if (!e)
			continue;
		e->exec = exec;
		e->i = i;
		e->neg = -(s32)(i * 1000 + exec);
		e->odd = i & 1;
		e->small = i;
		e->wide = i * 600;
		e->tag[0] = 't';
		e->tag[1] = 'a';
		e->tag[2] = 'g';
		e->tag[3] = '-';
		e->tag[4] = 'a' + (i % 26);
		e->tag[5] = 0;
		e->kind = (i & 1) ? MIX_ODD : MIX_EVEN;
		e->addr = 0x0100007f + (i << 24);
		if (i % 3 == 2)
			bpf_ringbuf_discard(e, 0);
		else
			bpf_ringbuf_submit(e, 0);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
