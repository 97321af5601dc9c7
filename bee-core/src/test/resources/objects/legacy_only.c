// Maps only in the older .maps.<kind> sections, none in .maps.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "solo_types.h"

struct event_t {
	u32 pid;
	char comm[16];
};

/* A hash, not a ring buffer: bpftool (the independent loader in the test) cannot
 * zero a ring buffer's declared value size the way bee's loader does. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, u32);
	__type(value, struct event_t);
} events SEC(".maps.print");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, u32);
	__type(value, u64);
} execs SEC(".maps.counter");

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	u32 pid = bpf_get_current_pid_tgid() >> 32;
	u64 one = 1, *n = bpf_map_lookup_elem(&execs, &pid);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&execs, &pid, &one, BPF_NOEXIST);
	struct event_t e = { .pid = pid };
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_map_update_elem(&events, &pid, &e, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
