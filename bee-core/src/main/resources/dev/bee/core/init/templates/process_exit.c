// SPDX-License-Identifier: GPL-2.0
/* $FILE: processes that exit after an exec, and how long they ran
 *
 * Written by `bee init`. Build and run it with:
 *   bee build $FILE -o $OBJECT
 *   bee run $OBJECT
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "bee_types.h"

/* Only children of this process when set: bee run --set target_ppid=1234 (0: every process). */
const volatile u32 target_ppid = 0;

/* What one exit is: the hooks below fill it in. */
struct info_t {
	char comm[16];
	u32 pid;
	u32 ppid;
	u32 exit_code;
	/* Add fields here, fill them in the hooks, and copy them in record(). */
};

$OUTPUT;

/* When each process last called exec(). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, u32);
	__type(value, u64);
} start SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	if (target_ppid && BPF_CORE_READ(task, real_parent, tgid) != target_ppid)
		return 0;
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	u64 ts = bpf_ktime_get_ns();
	bpf_map_update_elem(&start, &pid, &ts, BPF_ANY);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
	u64 id = bpf_get_current_pid_tgid();
	u32 pid = id >> 32;
	if (pid != (u32)id)
		return 0; /* a thread other than the process's main one */
	u64 *ts = bpf_map_lookup_elem(&start, &pid);
	if (!ts)
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct info_t info = {};
	info.pid = pid;
	info.ppid = BPF_CORE_READ(task, real_parent, tgid);
	info.exit_code = (BPF_CORE_READ(task, exit_code) >> 8) & 0xff;
	bpf_get_current_comm(info.comm, sizeof(info.comm));
	u64 delta = bpf_ktime_get_ns() - *ts;
	bpf_map_delete_elem(&start, &pid);
	record(&info, delta);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
