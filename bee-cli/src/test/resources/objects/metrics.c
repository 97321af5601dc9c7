// SPDX-License-Identifier: GPL-2.0
/* Test object for bee run's Prometheus metrics: every map convention, driven exactly by the test.
 * The test calls getpriority(which, who) with which = 0x62656500 | OP ("bee" and an operation) and
 * who = the operation's argument; the kernel rejects the call, but the tracepoint sees it first. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#define MAGIC 0x62656500

struct tagged_t {
	u32 tag;
};

struct level_t {
	u32 tag;
	u64 level;
};

struct observed_t {
	u32 tag;
	u64 le;
};

/* OP 1: one event labelled tag=who */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct tagged_t);
} counter_events SEC(".maps");

/* OP 2: counter_by_tag[who >> 16] = who & 0xffff (the test sets values, also lower ones); OP 3: delete */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct tagged_t);
	__type(value, u64);
} counter_by_tag SEC(".maps");

/* OP 4: gauge_by_tag[who >> 16] = who & 0xffff; OP 5: delete */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct tagged_t);
	__type(value, u64);
} gauge_by_tag SEC(".maps");

/* OP 6: one observation of le=who, tag 7 */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct observed_t);
} hist_observed SEC(".maps");

/* OP 7: a level event: tag = who >> 16, level = who & 0xffff */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct level_t);
} gauge_levels SEC(".maps");

/* OP 8: hist_buckets[le = who >> 16] = who & 0xffff (counts per bucket, kept by the program) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct observed_t);
	__type(value, u64);
} hist_buckets SEC(".maps");

struct slot_t {
	u32 tag;
	u32 slot;
};

/* OP 9: hist_slots[tag = who >> 24, slot = (who >> 16) & 0xff] = who & 0xffff (log2 buckets, per tag) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 256);
	__type(key, struct slot_t);
	__type(value, u64);
} hist_slots SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpriority")
int bee_metrics_probe(struct trace_event_raw_sys_enter *ctx)
{
	long which = ctx->args[0];
	u64 who = (u32)ctx->args[1];
	if ((which & 0xffffff00) != MAGIC)
		return 0;
	u32 op = which & 0xff;
	struct tagged_t key = { .tag = who >> 16 };
	u64 value = who & 0xffff;
	if (op == 1) {
		struct tagged_t *e = bpf_ringbuf_reserve(&counter_events, sizeof(*e), 0);
		if (e) {
			e->tag = who;
			bpf_ringbuf_submit(e, 0);
		}
	} else if (op == 2) {
		bpf_map_update_elem(&counter_by_tag, &key, &value, BPF_ANY);
	} else if (op == 3) {
		bpf_map_delete_elem(&counter_by_tag, &key);
	} else if (op == 4) {
		bpf_map_update_elem(&gauge_by_tag, &key, &value, BPF_ANY);
	} else if (op == 5) {
		bpf_map_delete_elem(&gauge_by_tag, &key);
	} else if (op == 6) {
		struct observed_t *e = bpf_ringbuf_reserve(&hist_observed, sizeof(*e), 0);
		if (e) {
			e->tag = 7;
			e->le = who;
			bpf_ringbuf_submit(e, 0);
		}
	} else if (op == 7) {
		struct level_t *e = bpf_ringbuf_reserve(&gauge_levels, sizeof(*e), 0);
		if (e) {
			e->tag = who >> 16;
			e->level = value;
			bpf_ringbuf_submit(e, 0);
		}
	} else if (op == 8) {
		struct observed_t b = { .tag = 0, .le = who >> 16 };
		bpf_map_update_elem(&hist_buckets, &b, &value, BPF_ANY);
	} else if (op == 9) {
		struct slot_t k = { .tag = who >> 24, .slot = (who >> 16) & 0xff };
		bpf_map_update_elem(&hist_slots, &k, &value, BPF_ANY);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
