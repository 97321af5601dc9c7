// SPDX-License-Identifier: GPL-2.0
/* The class data sharing training's program (dev.bee.cli.startup.Training): what bee's examples use,
 * small. Each exec as an event in a ring buffer (print_), counted per command name (counter_).
 * training.o beside it is this file built by `bee build`; ArchiveCoverageIT checks that they agree. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "bee_types.h"

/* Only this process, when set (bee run --set target_pid=1234); 0 = all. */
const volatile u32 target_pid = 0;

struct event_t {
	u32 pid;
	u32 ppid;
	u32 uid;
	char comm[16];
};

struct key_t {
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
	__type(value, struct event_t);
} print_execs SEC(".maps");
BEE_RINGBUF_LOST(print_execs);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, struct key_t);
	__type(value, u64);
} counter_execs SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int handle_exec(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	if (target_pid && pid != target_pid)
		return 0;
	struct key_t key = {};
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	u64 one = 1, *n = bpf_map_lookup_elem(&counter_execs, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&counter_execs, &key, &one, BPF_NOEXIST);
	struct event_t *e = bee_ringbuf_reserve(print_execs, sizeof(*e));
	if (!e)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	e->pid = pid;
	e->ppid = BPF_CORE_READ(task, real_parent, tgid);
	e->uid = bpf_get_current_uid_gid();
	__builtin_memcpy(e->comm, key.comm, sizeof(e->comm));
	bee_ringbuf_submit(e);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
