// SPDX-License-Identifier: GPL-2.0
/* sleeplat: how long nanosleep() and clock_nanosleep() really sleep. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

struct event_t {
	u32 pid;
	char comm[16];
	duration latency;
};

/* Histogram bucket: the upper bound in nanoseconds (a power of two). */
struct bucket_t {
	u64 le;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

/* One observation per sleep: the last field is the value observed. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct event_t);
} hist_sleep_latency SEC(".maps");
BEE_RINGBUF_LOST(hist_sleep_latency);

/* The same, aggregated in the kernel: count per power-of-two bucket. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct bucket_t);
	__type(value, u64);
} hist_sleep_latency_log2 SEC(".maps");

static __always_inline int enter(void)
{
	u32 tid = bpf_get_current_pid_tgid();
	u64 ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &tid, &ts, 0);
	return 0;
}

static __always_inline int leave(void)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = id;
	u64 *ts = bpf_map_lookup_elem(&start, &tid);
	if (!ts)
		return 0;
	u64 delta = bpf_ktime_get_ns() - *ts;
	bpf_map_delete_elem(&start, &tid);

	struct bucket_t b = { .le = 1 };
	for (int i = 0; i < 63 && b.le < delta; i++)
		b.le <<= 1;
	u64 one = 1;
	u64 *count = bpf_map_lookup_elem(&hist_sleep_latency_log2, &b);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&hist_sleep_latency_log2, &b, &one, BPF_NOEXIST);

	struct event_t *e = bee_ringbuf_reserve(hist_sleep_latency, sizeof(*e));
	if (!e)
		return 0;
	e->pid = id >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->latency = delta;
	bee_ringbuf_submit(e);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_nanosleep")
int enter_nanosleep(void *ctx) { return enter(); }

SEC("tracepoint/syscalls/sys_exit_nanosleep")
int exit_nanosleep(void *ctx) { return leave(); }

SEC("tracepoint/syscalls/sys_enter_clock_nanosleep")
int enter_clock_nanosleep(void *ctx) { return enter(); }

SEC("tracepoint/syscalls/sys_exit_clock_nanosleep")
int exit_clock_nanosleep(void *ctx) { return leave(); }

char LICENSE[] SEC("license") = "GPL";
