// SPDX-License-Identifier: GPL-2.0
/* A program the verifier rejects: it reads through a pointer it never checked (libbpf.ObjectHandleIT). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int bad_read(void *ctx)
{
	u32 k = 0;
	u64 *v = bpf_map_lookup_elem(&values, &k);
	return *v; /* no NULL check */
}

char LICENSE[] SEC("license") = "GPL";
