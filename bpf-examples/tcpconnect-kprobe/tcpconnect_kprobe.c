// SPDX-License-Identifier: GPL-2.0
/* tcpconnect-kprobe: the talk's tcpconnect, on kprobe/kretprobe tcp_v4_connect.
 *
 * The entry probe remembers the socket per thread; the return probe reads the
 * addresses once connect() has filled them in and counts the connection.
 * The counter map sits in the older ".maps.counter" section, as in the talk;
 * bee treats it like a map named counter_*.
 * Needs a kernel with CONFIG_KPROBES (not the case on every machine).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "solo_types.h"

struct dimensions_t {
	ipv4_addr saddr;
	ipv4_addr daddr;
} __attribute__((packed));

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, u32);
	__type(value, struct sock *);
} sockets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct dimensions_t);
	__type(value, u64);
} sockets_ext SEC(".maps.counter");

static __always_inline int enter_tcp_connect(struct pt_regs *ctx, struct sock *sk)
{
	u32 tid = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&sockets, &tid, &sk, 0);
	return 0;
}

static __always_inline int exit_tcp_connect(struct pt_regs *ctx, int ret)
{
	u32 tid = bpf_get_current_pid_tgid();
	struct sock **skpp = bpf_map_lookup_elem(&sockets, &tid);
	if (!skpp)
		return 0;
	if (ret == 0) {
		struct sock *sk = *skpp;
		struct dimensions_t key = {};
		key.saddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		key.daddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		u64 one = 1;
		u64 *count = bpf_map_lookup_elem(&sockets_ext, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
		else
			bpf_map_update_elem(&sockets_ext, &key, &one, BPF_NOEXIST);
	}
	bpf_map_delete_elem(&sockets, &tid);
	return 0;
}

SEC("kprobe/tcp_v4_connect")
int BPF_KPROBE(tcp_v4_connect, struct sock *sk)
{
	return enter_tcp_connect(ctx, sk);
}

SEC("kretprobe/tcp_v4_connect")
int BPF_KRETPROBE(tcp_v4_connect_ret, int ret)
{
	return exit_tcp_connect(ctx, ret);
}

char LICENSE[] SEC("license") = "GPL";
