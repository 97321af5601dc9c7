// SPDX-License-Identifier: GPL-2.0
/* opensnoop: every openat() with the file name, flags and result. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "bee_types.h"

/* Only this process, when set (bee run --set target_pid=1234); 0 = all. */
const volatile u32 target_pid = 0;
/* Report failed opens too. */
const volatile bool include_failed = true;

struct args_t {
	const char *filename;
	u32 flags;
};

struct event_t {
	u32 pid;
	u32 uid;
	char comm[16];
	s32 ret;
	hex32 flags;
	char filename[256];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, struct args_t);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
	__type(value, struct event_t);
} print_opens SEC(".maps");
BEE_RINGBUF_LOST(print_opens);

SEC("tracepoint/syscalls/sys_enter_openat")
int handle_enter(struct trace_event_raw_sys_enter *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	if (target_pid && (id >> 32) != target_pid)
		return 0;
	u32 tid = id;
	struct args_t args = {};
	args.filename = (const char *)ctx->args[1];
	args.flags = ctx->args[2];
	bpf_map_update_elem(&start, &tid, &args, 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_openat")
int handle_exit(struct trace_event_raw_sys_exit *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 tid = id;
	struct args_t *args = bpf_map_lookup_elem(&start, &tid);
	if (!args)
		return 0;
	if (ctx->ret < 0 && !include_failed)
		goto cleanup;
	struct event_t *e = bee_ringbuf_reserve(print_opens, sizeof(*e));
	if (!e)
		goto cleanup;
	e->pid = id >> 32;
	e->uid = bpf_get_current_uid_gid();
	e->ret = ctx->ret;
	e->flags = args->flags;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_probe_read_user_str(e->filename, sizeof(e->filename), args->filename);
	bee_ringbuf_submit(e);
cleanup:
	bpf_map_delete_elem(&start, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
