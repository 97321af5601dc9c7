// SPDX-License-Identifier: GPL-2.0
/* $FILE: outgoing IPv4 TCP connects and their latency, on the sock/inet_sock_set_state tracepoint
 *
 * Written by `bee init`. Build and run it with:
 *   bee build $FILE -o $OBJECT
 *   bee run $OBJECT
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

#define AF_INET 2
#define IPPROTO_TCP 6
#define TCP_ESTABLISHED 1
#define TCP_SYN_SENT 2

/* Only this process when set: bee run --set target_pid=1234 (0: every process). */
const volatile u32 target_pid = 0;

/* What one connect is: the hooks below fill it in. */
struct info_t {
	ipv4_addr daddr; /* shown as 10.0.0.1 */
	u16 dport;
	ipv4_addr saddr;
	u32 pid;
	char comm[16];
	/* Add fields here, fill them in the hooks, and copy them in record(). */
};

$OUTPUT;

struct start_t {
	u64 ts;
	u32 pid;
	char comm[16];
};

/* Connects in progress: the socket to when its SYN was sent, and by which process. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u64);
	__type(value, struct start_t);
} start SEC(".maps");

SEC("tracepoint/sock/inet_sock_set_state")
int on_state_change(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->family != AF_INET || ctx->protocol != IPPROTO_TCP)
		return 0;
	u64 sk = (u64)ctx->skaddr;
	if (ctx->newstate == TCP_SYN_SENT) {
		struct start_t s = { .ts = bpf_ktime_get_ns(), .pid = bpf_get_current_pid_tgid() >> 32 };
		if (target_pid && s.pid != target_pid)
			return 0;
		bpf_get_current_comm(s.comm, sizeof(s.comm));
		bpf_map_update_elem(&start, &sk, &s, BPF_ANY);
		return 0;
	}
	if (ctx->oldstate != TCP_SYN_SENT)
		return 0;
	struct start_t *s = bpf_map_lookup_elem(&start, &sk);
	if (!s)
		return 0;
	/* Established ends the connect; any other state means it failed. */
	if (ctx->newstate == TCP_ESTABLISHED) {
		struct info_t info = {};
		__builtin_memcpy(&info.saddr, ctx->saddr, 4);
		__builtin_memcpy(&info.daddr, ctx->daddr, 4);
		info.dport = ctx->dport;
		info.pid = s->pid;
		__builtin_memcpy(info.comm, s->comm, sizeof(info.comm));
		record(&info, bpf_ktime_get_ns() - s->ts);
	}
	bpf_map_delete_elem(&start, &sk);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
