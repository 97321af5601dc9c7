// SPDX-License-Identifier: GPL-2.0
/* Ring buffer benchmark: one 48-byte event per getppid() of the generator (target_pid). Events that
 * do not fit the ring buffer are counted by bee_ringbuf_reserve (bee_types.h) in bee_lost_<ring
 * buffer>, which bee shows as LOST and the C consumer reads too; bench_counts[0] counts the runs.
 * RING_SIZE (bytes, a power of two) sizes the ring buffer: 512 MiB by default, so a whole burst fits
 * and the rate is the consumer's; smaller for the burst and memory cases.
 * Built with -DMETRICS the ring buffer is counter_events, a Prometheus counter in bee run labelled by
 * every event field, and seq and ts repeat every 16 events so that the label sets stay few (32), as
 * a real metric's would.
 * Built with -DPLAIN it is a program as anyone would write it without bee: plain bpf_ringbuf_reserve, no
 * drop counter (losses are then unknown to every consumer: count what arrives).
 * Built with -DPERF every event also goes to print_perf, a perf event array (bpf_perf_event_output), so
 * one object holds a ring buffer and a perf buffer and each call makes two events. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

const volatile u32 target_pid = 0;

struct event_t {
	u32 pid;
	u32 tid;
	u64 seq;
	u64 ts;
	char comm[16];
	u64 cpu;
};	/* 48 bytes */

#ifndef RING_SIZE
#define RING_SIZE (1 << 29)
#endif

#ifdef METRICS
#define EVENTS counter_events
#define SPREAD(x) ((x) & 15)
#else
#define EVENTS print_events
#define SPREAD(x) (x)
#endif

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_SIZE);
	__type(value, struct event_t);
} EVENTS SEC(".maps");
#ifndef PLAIN
BEE_RINGBUF_LOST(EVENTS);
#endif

#ifdef PERF
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, u32);
	__type(value, struct event_t);
} print_perf SEC(".maps");
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} bench_counts SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int bench_getppid(void *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	if ((id >> 32) != target_pid)
		return 0;
	u32 k_seq = 0;
	u64 *seq = bpf_map_lookup_elem(&bench_counts, &k_seq);
	u64 n = seq ? __sync_fetch_and_add(seq, 1) : 0;
#ifdef PLAIN
	struct event_t *e = bpf_ringbuf_reserve(&EVENTS, sizeof(*e), 0);
#else
	struct event_t *e = bee_ringbuf_reserve(EVENTS, sizeof(*e));
#endif
	if (!e)
		return 0;
	e->pid = id >> 32;
	e->tid = (u32)id;
	e->seq = SPREAD(n);
	e->ts = SPREAD(bpf_ktime_get_ns());
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->cpu = bpf_get_smp_processor_id();
#ifdef PERF
	bpf_perf_event_output(ctx, &print_perf, BPF_F_CURRENT_CPU, e, sizeof(*e));
#endif
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
