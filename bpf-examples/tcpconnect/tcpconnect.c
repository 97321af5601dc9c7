// SPDX-License-Identifier: GPL-2.0
/* tcpconnect: every outgoing IPv4 TCP connection, as an event and as a count.
 *
 * Uses the sock/inet_sock_set_state tracepoint (a socket entering SYN_SENT is
 * a connect() in progress), so it works on kernels without kprobes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

#define AF_INET 2
#define IPPROTO_TCP 6
#define TCP_SYN_SENT 2

struct event_t {
	u32 pid;
	char comm[16];
	ipv4_addr saddr;
	ipv4_addr daddr;
	u16 dport;
};

struct dimensions_t {
	ipv4_addr saddr;
	ipv4_addr daddr;
	u16 dport;
};

/* Every connection as a log line. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
	__type(value, struct event_t);
} print_connects SEC(".maps");
BEE_RINGBUF_LOST(print_connects);

/* Connections per source, destination and port: a Prometheus counter. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct dimensions_t);
	__type(value, u64);
} counter_connects SEC(".maps");

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->newstate != TCP_SYN_SENT || ctx->family != AF_INET || ctx->protocol != IPPROTO_TCP)
		return 0;

	struct dimensions_t key = {};
	__builtin_memcpy(&key.saddr, ctx->saddr, 4);
	__builtin_memcpy(&key.daddr, ctx->daddr, 4);
	key.dport = ctx->dport;

	u64 one = 1;
	u64 *count = bpf_map_lookup_elem(&counter_connects, &key);
	if (count)
		__sync_fetch_and_add(count, 1);
	else
		bpf_map_update_elem(&counter_connects, &key, &one, BPF_NOEXIST);

	struct event_t *e = bee_ringbuf_reserve(print_connects, sizeof(*e));
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	e->saddr = key.saddr;
	e->daddr = key.daddr;
	e->dport = key.dport;
	bee_ringbuf_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
