// SPDX-License-Identifier: GPL-2.0
/* activeconn: established TCP connections per destination, as a gauge. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

#define AF_INET 2
#define IPPROTO_TCP 6
#define TCP_ESTABLISHED 1

struct dimensions_t {
	ipv4_addr daddr;
	u16 dport;
};

/* Open connections per destination: goes up and down, a Prometheus gauge. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct dimensions_t);
	__type(value, s64);
} gauge_active_connections SEC(".maps");

SEC("tracepoint/sock/inet_sock_set_state")
int handle_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
	if (ctx->family != AF_INET || ctx->protocol != IPPROTO_TCP)
		return 0;
	s64 delta;
	if (ctx->newstate == TCP_ESTABLISHED)
		delta = 1;
	else if (ctx->oldstate == TCP_ESTABLISHED)
		delta = -1;
	else
		return 0;

	struct dimensions_t key = {};
	__builtin_memcpy(&key.daddr, ctx->daddr, 4);
	key.dport = ctx->dport;
	s64 *value = bpf_map_lookup_elem(&gauge_active_connections, &key);
	if (value) {
		__sync_fetch_and_add(value, delta);
	} else if (delta > 0) {
		bpf_map_update_elem(&gauge_active_connections, &key, &delta, BPF_NOEXIST);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
