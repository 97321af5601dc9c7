// SPDX-License-Identifier: GPL-2.0
/* execsnoop: every exec(), with the parent and the executed file. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "bee_types.h"

struct event_t {
	u32 pid;
	u32 ppid;
	u32 uid;
	char comm[16];
	char filename[128];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
	__type(value, struct event_t);
} print_execs SEC(".maps");
BEE_RINGBUF_LOST(print_execs);

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(struct trace_event_raw_sched_process_exec *ctx)
{
	struct event_t *e = bee_ringbuf_reserve(print_execs, sizeof(*e));
	if (!e)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = bpf_get_current_uid_gid();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	/* __data_loc: the low 16 bits are the string's offset in the record. */
	unsigned int off = ctx->__data_loc_filename & 0xFFFF;
	bpf_probe_read_str(e->filename, sizeof(e->filename), (void *)ctx + off);
	bee_ringbuf_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
