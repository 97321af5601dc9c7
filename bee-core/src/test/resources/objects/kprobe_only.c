// SPDX-License-Identifier: GPL-2.0
/* A kprobe, which loads everywhere but attaches only where the kernel has kprobes (attach.AttachersIT). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("kprobe/do_sys_openat2")
int ak_kprobe(void *ctx) { return 0; }

char LICENSE[] SEC("license") = "GPL";
