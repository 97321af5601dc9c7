// SPDX-License-Identifier: GPL-2.0
/* One program per attach kind this machine supports, each counting its hits into counter_hits keyed by
 * its kind, for the attachers' own integration test (attach.AttachersIT). Program names start with
 * "ak_" so the test can find them with bpftool. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

enum hook { TRACEPOINT, RAW_TP, TP_BTF, UPROBE, XDP, TC, SOCKET, PERF, CGROUP_SKB, ITER };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 10);
	__type(key, u32);
	__type(value, u64);
} counter_hits SEC(".maps");

static __always_inline void hit(u32 h)
{
	u64 *v = bpf_map_lookup_elem(&counter_hits, &h);
	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int ak_tp(void *ctx) { hit(TRACEPOINT); return 0; }

SEC("raw_tp/sys_enter")
int ak_raw_tp(void *ctx) { hit(RAW_TP); return 0; }

SEC("tp_btf/sched_process_exec")
int ak_tp_btf(void *ctx) { hit(TP_BTF); return 0; }

SEC("uprobe/libc.so.6:getpid")
int ak_uprobe(void *ctx) { hit(UPROBE); return 0; }

SEC("xdp")
int ak_xdp(struct xdp_md *ctx) { hit(XDP); return 2; /* XDP_PASS */ }

SEC("tc")
int ak_tc(struct __sk_buff *skb) { hit(TC); return 0; /* TC_ACT_OK */ }

SEC("socket")
int ak_socket(struct __sk_buff *skb) { hit(SOCKET); return 0; }

SEC("perf_event")
int ak_perf(void *ctx) { hit(PERF); return 0; }

SEC("cgroup_skb/ingress")
int ak_cgroup_skb(struct __sk_buff *skb) { hit(CGROUP_SKB); return 1; /* let it through */ }

SEC("iter/task")
int ak_iter(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	if (task && ctx->meta->seq_num == 0)
		BPF_SEQ_PRINTF(ctx->meta->seq, "ak_iter first task %d\n", task->pid);
	hit(ITER);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
