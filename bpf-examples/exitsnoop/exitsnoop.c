// SPDX-License-Identifier: GPL-2.0
/* exitsnoop: every process exit, with its exit code and lifetime. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "bee_types.h"

struct event_t {
	u32 pid;
	u32 ppid;
	s32 exit_code;
	u8 signal;
	bool core_dumped;
	char comm[16];
	duration lifetime;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
	__type(value, struct event_t);
} print_exits SEC(".maps");
BEE_RINGBUF_LOST(print_exits);

SEC("tracepoint/sched/sched_process_exit")
int handle_exit(void *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	/* Threads exit too; report the process once, when its leader goes. */
	if ((u32)id != (u32)(id >> 32))
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct event_t *e = bee_ringbuf_reserve(print_exits, sizeof(*e));
	if (!e)
		return 0;
	int code = BPF_CORE_READ(task, exit_code);
	e->pid = id >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->exit_code = code >> 8;
	e->signal = code & 0x7f;
	e->core_dumped = (code & 0x80) != 0;
	e->lifetime = bpf_ktime_get_ns() - BPF_CORE_READ(task, start_time);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bee_ringbuf_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
