// SPDX-License-Identifier: GPL-2.0
/* Counts the packets that reach tc ingress, into counter_packets. It returns TC_ACT_UNSPEC (TCX_NEXT),
 * so the programs and filters after it still see every packet: two runs of it on one interface both count. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} counter_packets SEC(".maps");

SEC("tc/ingress")
int bee_tc_count(struct __sk_buff *skb)
{
	u32 k = 0;
	u64 *v = bpf_map_lookup_elem(&counter_packets, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	return -1; /* TC_ACT_UNSPEC: on to the next program */
}

char LICENSE[] SEC("license") = "GPL";
