// SPDX-License-Identifier: GPL-2.0
/* $FILE: outgoing IPv4 TCP connects, on kprobe/kretprobe tcp_v4_connect (needs CONFIG_KPROBES)
 *
 * Written by `bee init`. Build and run it with:
 *   bee build $FILE -o $OBJECT
 *   bee run $OBJECT
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "bee_types.h"

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
	struct sock *sk;
};

/* Connects in progress, per thread: when tcp_v4_connect() was entered, and its socket. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct start_t);
} start SEC(".maps");

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(enter_connect, struct sock *sk)
{
	u64 id = bpf_get_current_pid_tgid();
	if (target_pid && (id >> 32) != target_pid)
		return 0;
	u32 tid = id;
	struct start_t s = { .ts = bpf_ktime_get_ns(), .sk = sk };
	bpf_map_update_elem(&start, &tid, &s, BPF_ANY);
	return 0;
}

/* The addresses are filled in once tcp_v4_connect() returns; the latency is the time it took. */
SEC("kretprobe/tcp_v4_connect")
int BPF_KRETPROBE(exit_connect, int ret)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = id;
	struct start_t *s = bpf_map_lookup_elem(&start, &tid);
	if (!s)
		return 0;
	struct sock *sk = s->sk;
	u64 delta = bpf_ktime_get_ns() - s->ts;
	bpf_map_delete_elem(&start, &tid);
	if (ret != 0)
		return 0;
	struct info_t info = {};
	info.saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	info.daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
	info.dport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	info.pid = id >> 32;
	bpf_get_current_comm(info.comm, sizeof(info.comm));
	record(&info, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
