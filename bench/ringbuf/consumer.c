// Ring buffer benchmark consumer in C on libbpf: loads getppid_events.o for one target pid, reads
// the ring buffer with ring_buffer__poll and prints every event as the same JSON line bee prints.
// When the object has a perf event array print_perf (built with -DPERF), it reads that too, through
// libbpf's perf_buffer, both waited on with one epoll. Stops after N events, or 3 s without any.
// Prints "attached" on stderr once ready.
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
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
static unsigned long long perf_lost;
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

static void print_event(const char *map, const struct event_t *e)
{
	fprintf(out, "{\"time\":\"%s\",\"map\":\"%s\",\"event\":{\"pid\":%u,\"tid\":%u,\"seq\":%llu,"
		"\"ts\":%llu,\"comm\":\"%.16s\",\"cpu\":%llu}}\n",
		now_iso(), map, e->pid, e->tid, e->seq, e->ts, e->comm, e->cpu);
	received++;
}

static int on_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	if (size >= sizeof(struct event_t))
		print_event("print_events", data);
	return 0;
}

static void on_perf(void *ctx, int cpu, void *data, __u32 size)
{
	(void)ctx;
	(void)cpu;
	if (size >= sizeof(struct event_t))
		print_event("print_perf", data);
}

static void on_perf_lost(void *ctx, int cpu, __u64 n)
{
	(void)ctx;
	(void)cpu;
	perf_lost += n;
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
		} else if (strcmp(name, "print_perf") == 0) {
			/* The kernel takes a perf event array of fds: the declared event type is for readers. */
			bpf_map__set_key_size(m, 4);
			bpf_map__set_value_size(m, 4);
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
	struct bpf_map *perf_map = bpf_object__find_map_by_name(obj, "print_perf");
	struct perf_buffer *pb = perf_map ? perf_buffer__new(bpf_map__fd(perf_map), 64, on_perf, on_perf_lost, NULL,
							     NULL) : NULL;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = { .events = EPOLLIN };
	epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(rb), &ev);
	if (pb)
		epoll_ctl(ep, EPOLL_CTL_ADD, perf_buffer__epoll_fd(pb), &ev);
	fprintf(stderr, "attached\n");
	int idle = 0;
	while (received < wanted && idle < 30) {
		long before = received;
		struct epoll_event ready[2];
		int rc = pb ? epoll_wait(ep, ready, 2, 100) : ring_buffer__poll(rb, 100);
		if (rc < 0 && (rc == -EINTR || errno == EINTR))
			continue;
		if (rc < 0) {
			fprintf(stderr, "consumer: poll: %s\n", strerror(rc == -1 ? errno : -rc));
			break;
		}
		if (pb) {
			ring_buffer__consume(rb);
			perf_buffer__consume(pb);
		}
		idle = received == before ? idle + 1 : 0;
		fflush(out);
	}
	fflush(out);
	bpf_link__destroy(link);
	ring_buffer__consume(rb);
	if (pb)
		perf_buffer__consume(pb);
	fflush(out);
	unsigned int k0 = 0;
	unsigned long long dropped = 0, fired = 0;
	int counts = bpf_map__fd(bpf_object__find_map_by_name(obj, "bench_counts"));
	bpf_map_lookup_elem(counts, &k0, &fired);
	/* bee_ringbuf_reserve's per-CPU drop counter: one u64 per possible CPU. */
	int cpus = libbpf_num_possible_cpus();
	unsigned long long per_cpu[cpus > 0 ? cpus : 1];
	struct bpf_map *lost = bpf_object__find_map_by_name(obj, "bee_lost_print_events");
	if (lost && cpus > 0 && bpf_map_lookup_elem(bpf_map__fd(lost), &k0, per_cpu) == 0)
		for (int c = 0; c < cpus; c++)
			dropped += per_cpu[c];
	else if (!lost)
		fprintf(stderr, "consumer: the program counts no drops (built with -DPLAIN): count what arrived\n");
	if (pb) {
		fprintf(stderr, "consumer: %llu perf samples lost (counted in the drops below)\n", perf_lost);
		dropped += perf_lost;
		perf_buffer__free(pb);
	}
	ring_buffer__free(rb);
	bpf_object__close(obj);
	fprintf(stderr, "consumer: %ld events, program ran %llu times, %llu dropped in the kernel\n", received,
		fired, dropped);
	return 0;
}
