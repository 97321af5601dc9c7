// SPDX-License-Identifier: GPL-2.0
/* $FILE: files opened with openat() and how long the call took
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

/* What one open is: the hooks below fill it in. */
struct info_t {
	char comm[16];
	u32 pid;
	char filename[64];
	s32 ret; /* the fd, or -errno */
	/* Add fields here, fill them in the hooks, and copy them in record(). */
};

$OUTPUT;

struct start_t {
	u64 ts;
	const char *filename;
};

/* Opens in progress, per thread: when openat() was entered, and the name it was given. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct start_t);
} start SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_openat")
int enter_openat(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	if (target_pid && (id >> 32) != target_pid)
		return 0;
	u32 tid = id;
	struct start_t s = { .ts = bpf_ktime_get_ns(), .filename = (const char *)ctx->args[1] };
	bpf_map_update_elem(&start, &tid, &s, BPF_ANY);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int exit_openat(struct trace_event_raw_sys_exit *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = id;
	struct start_t *s = bpf_map_lookup_elem(&start, &tid);
	if (!s)
		return 0;
	struct info_t info = {};
	info.pid = id >> 32;
	info.ret = ctx->ret;
	bpf_get_current_comm(info.comm, sizeof(info.comm));
	bpf_probe_read_user_str(info.filename, sizeof(info.filename), s->filename);
	u64 delta = bpf_ktime_get_ns() - s->ts;
	bpf_map_delete_elem(&start, &tid);
	record(&info, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
