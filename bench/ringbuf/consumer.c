// Ring buffer benchmark consumer in C on libbpf: loads getppid_events.o for one target pid, reads
// the ring buffer with ring_buffer__poll and prints every event as the same JSON line bee prints.
// Stops after N events, or 3 s without any. Prints "attached" on stderr once ready.
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

struct event_t {
	unsigned int pid;
	unsigned int tid;
	unsigned long long seq;
	unsigned long long ts;
	char comm[16];
	unsigned long long cpu;
};

static long received, wanted;
static FILE *out;
static long long last_ms = -1;
static char stamp[32];

static const char *now_iso(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	long long ms = t.tv_sec * 1000LL + t.tv_nsec / 1000000;
	if (ms != last_ms) {
		struct tm tm;
		time_t s = t.tv_sec;
		gmtime_r(&s, &tm);
		size_t n = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		snprintf(stamp + n, sizeof(stamp) - n, ".%03dZ", (int)(ms % 1000));
		last_ms = ms;
	}
	return stamp;
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct event_t *e = data;
	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	fprintf(out, "{\"time\":\"%s\",\"map\":\"print_events\",\"event\":{\"pid\":%u,\"tid\":%u,\"seq\":%llu,"
		"\"ts\":%llu,\"comm\":\"%.16s\",\"cpu\":%llu}}\n",
		now_iso(), e->pid, e->tid, e->seq, e->ts, e->comm, e->cpu);
	received++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: consumer OBJECT TARGET_PID N\n");
		return 2;
	}
	wanted = atol(argv[3]);
	static char buf[1 << 16];
	out = stdout;
	setvbuf(out, buf, _IOFBF, sizeof(buf));

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		perror("open");
		return 1;
	}
	struct bpf_map *m;
	bpf_object__for_each_map(m, obj) {
		const char *name = bpf_map__name(m);
		if (strcmp(name, "print_events") == 0) {
			bpf_map__set_key_size(m, 0);
			bpf_map__set_value_size(m, 0);
		} else if (bpf_map__is_internal(m) && strstr(name, ".rodata")) {
			size_t sz;
			unsigned int *pid = (unsigned int *)bpf_map__initial_value(m, &sz);
			*pid = (unsigned int)atol(argv[2]);
		}
	}
	if (bpf_object__load(obj)) {
		fprintf(stderr, "load failed\n");
		return 1;
	}
	struct bpf_program *p = bpf_object__find_program_by_name(obj, "bench_getppid");
	struct bpf_link *link = bpf_program__attach(p);
	if (!link) {
		perror("attach");
		return 1;
	}
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(bpf_object__find_map_by_name(obj, "print_events")),
						  on_event, NULL, NULL);
	fprintf(stderr, "attached\n");
	int idle = 0;
	while (received < wanted && idle < 30) {
		long before = received;
		int rc = ring_buffer__poll(rb, 100);
		if (rc == -EINTR)
			continue;
		if (rc < 0) {
			fprintf(stderr, "consumer: ring_buffer__poll: %s\n", strerror(-rc));
			break;
		}
		idle = received == before ? idle + 1 : 0;
		fflush(out);
	}
	fflush(out);
	bpf_link__destroy(link);
	ring_buffer__consume(rb);
	fflush(out);
	unsigned int k0 = 0;
	unsigned long long dropped = 0, fired = 0;
	int counts = bpf_map__fd(bpf_object__find_map_by_name(obj, "bench_counts"));
	bpf_map_lookup_elem(counts, &k0, &fired);
	/* bee_ringbuf_reserve's per-CPU drop counter: one u64 per possible CPU. */
	int cpus = libbpf_num_possible_cpus();
	unsigned long long per_cpu[cpus > 0 ? cpus : 1];
	if (cpus > 0 && bpf_map_lookup_elem(bpf_map__fd(bpf_object__find_map_by_name(obj, "bee_lost_print_events")),
					    &k0, per_cpu) == 0)
		for (int c = 0; c < cpus; c++)
			dropped += per_cpu[c];
	ring_buffer__free(rb);
	bpf_object__close(obj);
	fprintf(stderr, "consumer: %ld events, program ran %llu times, %llu dropped in the kernel\n", received,
		fired, dropped);
	return 0;
}
