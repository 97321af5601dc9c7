// SPDX-License-Identifier: GPL-2.0
/* Test object for bee run: every getppid() of one process (--set target_pid) emits one event whose
 * struct has padding (not packed), a nested struct, an enum, a bool, a u8 array, a char array, a
 * signed 16-bit field, an IPv4 hint, a u64 above 2^63 and a duration. Some fields come from
 * const volatile globals, so the test checks typed --set values as well. A per-CPU array counts
 * the events, a hash map counts them per tag. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

enum color { RED = 1, GREEN = 2, BLUE = 7 };

struct inner {
	u16 port;	/* 2 bytes of padding follow */
	u32 value;
};

struct event_t {
	u8 tag;			/* offset 0, 3 bytes of padding */
	u32 pid;		/* 4 */
	bool flag;		/* 8, 7 bytes of padding */
	u64 big;		/* 16 */
	struct inner in;	/* 24 */
	enum color color;	/* 32 */
	u8 bytes[4];		/* 36 */
	char name[8];		/* 40 */
	s16 neg;		/* 48 */
	ipv4_addr addr;		/* 52 */
	duration took;		/* 56 */
};

const volatile u32 target_pid = 0;
const volatile bool flag_value = false;
const volatile enum color color_value = RED;
const volatile char name_value[8] = "none";
const volatile ipv4_addr addr_value = 0;
const volatile s16 neg_value = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct event_t);
} print_decoded SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counter_percpu SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__type(key, u32);
	__type(value, struct inner);
} print_perf SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int bee_decode_probe(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (pid != target_pid)
		return 0;
	struct event_t *e = bpf_ringbuf_reserve(&print_decoded, sizeof(*e), 0);
	if (!e)
		return 0;
	__builtin_memset(e, 0xAB, sizeof(*e)); /* padding must not leak into any field */
	e->tag = 7;
	e->pid = pid;
	e->flag = flag_value;
	e->big = 0xFFFFFFFFFFFFFFFEULL;
	e->in.port = 443;
	e->in.value = 123456;
	e->color = color_value;
	e->bytes[0] = 1;
	e->bytes[1] = 2;
	e->bytes[2] = 3;
	e->bytes[3] = 255;
	for (int i = 0; i < 8; i++)
		e->name[i] = name_value[i];
	e->neg = neg_value;
	e->addr = addr_value;
	e->took = 1500000;
	bpf_ringbuf_submit(e, 0);

	u32 zero = 0;
	u64 *count = bpf_map_lookup_elem(&counter_percpu, &zero);
	if (count)
		*count += 1;

	struct inner in = { .port = 80, .value = pid };
	bpf_perf_event_output(ctx, &print_perf, BPF_F_CURRENT_CPU, &in, sizeof(in));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
