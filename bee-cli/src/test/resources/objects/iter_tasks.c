// SPDX-License-Identifier: GPL-2.0
/* Test object for iterator output: a task iterator that prints one line, for the first task it sees. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("iter/task")
int bee_iter_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	if (task && ctx->meta->seq_num == 0)
		BPF_SEQ_PRINTF(ctx->meta->seq, "bee_iter first task %d\n", task->pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
