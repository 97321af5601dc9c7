// SPDX-License-Identifier: GPL-2.0
/* $FILE: every hit of $SECTION, and the time since the process last hit it
 *
 * Written by `bee init`. Build and run it with:
 *   bee build $FILE -o $OBJECT
 *   bee run $OBJECT
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

/* Only this process when set: bee run --set target_pid=1234 (0: every process). */
const volatile u32 target_pid = 0;

/* What one hit is: the hooks below fill it in. */
struct info_t {
	char comm[16];
	u32 pid;
	/* Add fields here, fill them in the hooks, and copy them in record(). */
};

$OUTPUT;

/* When each process last hit the hook. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} last SEC(".maps");

SEC("$SECTION")
int $FUNCTION(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (target_pid && pid != target_pid)
		return 0;
	u64 now = bpf_ktime_get_ns();
	u64 *prev = bpf_map_lookup_elem(&last, &pid);
	u64 delta = prev ? now - *prev : 0;
	bpf_map_update_elem(&last, &pid, &now, BPF_ANY);
	struct info_t info = {};
	info.pid = pid;
	bpf_get_current_comm(info.comm, sizeof(info.comm));
	record(&info, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
