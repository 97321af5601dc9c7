// SPDX-License-Identifier: GPL-2.0
/* One program per attach kind that works on this machine without extra setup beyond --iface lo:
 * a uprobe on libc's getpid, xdp, tc ingress, a socket filter and a perf_event sampler. Each counts its hits into
 * counter_hits, keyed by its kind, so a test can see that every one of them was attached. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

enum hook { HOOK_UPROBE, HOOK_XDP, HOOK_TC, HOOK_SOCKET, HOOK_PERF };

struct hook_key {
	enum hook hook;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, struct hook_key);
	__type(value, u64);
} counter_hits SEC(".maps");

static __always_inline void hit(enum hook h)
{
	struct hook_key k = { .hook = h };
	u64 one = 1, *v = bpf_map_lookup_elem(&counter_hits, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&counter_hits, &k, &one, BPF_NOEXIST);
}

SEC("uprobe/libc.so.6:getpid")
int on_getpid(void *ctx)
{
	hit(HOOK_UPROBE);
	return 0;
}

SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	hit(HOOK_XDP);
	return 2; /* XDP_PASS */
}

SEC("tc")
int on_tc(struct __sk_buff *skb)
{
	hit(HOOK_TC);
	return 0; /* TC_ACT_OK */
}

SEC("socket")
int on_socket(struct __sk_buff *skb)
{
	hit(HOOK_SOCKET);
	return 0;
}

SEC("perf_event")
int on_perf(void *ctx)
{
	hit(HOOK_PERF);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
