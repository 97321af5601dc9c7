/* bee_types.h: display-hint typedefs for bee.
 *
 * A map value or key member declared with one of these types is shown by
 * `bee run` in the form the name says, instead of as a plain number. The
 * underlying types are ordinary integers and byte arrays, so the kernel side
 * is unaffected. Include after vmlinux.h (or linux/types.h).
 */
#ifndef __BEE_TYPES_H
#define __BEE_TYPES_H

/* IPv4 address in network byte order, as found in struct sock: shown 10.0.0.1 */
typedef __u32 ipv4_addr;
/* IPv6 address, 16 bytes in network order: shown 2001:db8::1 */
typedef __u8 ipv6_addr[16];
/* Ethernet (MAC) address; the kernel already has a mac_addr type: shown 02:42:ac:11:00:02 */
typedef __u8 ether_addr[6];
/* A port in network byte order (struct sock's skc_dport): shown as a host number */
typedef __u16 net_port;
/* Nanoseconds: shown 1.5ms in text, as the number of nanoseconds in JSON */
typedef __u64 duration;
/* Nanoseconds since boot (bpf_ktime_get_boot_ns): shown as wall-clock time */
typedef __u64 boot_time_ns;
/* Shown in hexadecimal: flags, addresses */
typedef __u32 hex32;
typedef __u64 hex64;

/* Ring buffer output that counts what it drops, so `bee run` reports exact losses.
 *
 * A full ring buffer makes bpf_ringbuf_reserve fail and the kernel counts nothing, so a program
 * that writes with plain bpf_ringbuf_reserve loses events without a trace (bee then says "unknown").
 * Declare the counter once after the ring buffer, and reserve and output through these helpers:
 *
 *   struct { __uint(type, BPF_MAP_TYPE_RINGBUF); ... } print_events SEC(".maps");
 *   BEE_RINGBUF_LOST(print_events);
 *   ...
 *   struct event_t *e = bee_ringbuf_reserve(print_events, sizeof(*e));
 *   if (!e)
 *       return 0;   // counted
 *   ...
 *   bee_ringbuf_submit(e);
 *
 * The counter is a one-slot per-CPU array named bee_lost_<ring buffer> (per CPU: no atomic add on
 * the hot path); bee finds it by that name, adds the CPUs' counts up, and shows the sum as the ring
 * buffer's LOST. Needs bpf_helpers.h before the first use.
 */
/* bee_lost_<ring>, with ring macro-expanded first (a ring buffer named through a macro works too). */
#define bee__cat(a, b) a##b
#define bee__lost(ring) bee__cat(bee_lost_, ring)

#define BEE_RINGBUF_LOST(ring)                                  \
	struct {                                                \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);        \
		__uint(max_entries, 1);                         \
		__type(key, __u32);                             \
		__type(value, __u64);                           \
	} bee__lost(ring) SEC(".maps")

/* A macro, not a function: it expands only where used, so this header needs no helpers otherwise. */
#define bee__count_lost(counter)                                        \
	({                                                              \
		__u32 __bee_zero = 0;                                   \
		__u64 *__bee_n = bpf_map_lookup_elem(counter, &__bee_zero);\
		if (__bee_n)                                            \
			*__bee_n += 1;                                  \
	})

/* bpf_ringbuf_reserve(&ring, size, 0) that counts a failure in bee_lost_<ring>. */
#define bee_ringbuf_reserve(ring, size)                                 \
	({                                                              \
		void *__bee_e = bpf_ringbuf_reserve(&ring, size, 0);    \
		if (!__bee_e)                                           \
			bee__count_lost(&bee__lost(ring));              \
		__bee_e;                                                \
	})

/* Submits what bee_ringbuf_reserve gave (it cannot fail). */
#define bee_ringbuf_submit(e) bpf_ringbuf_submit(e, 0)

/* Discards what bee_ringbuf_reserve gave: not a loss, the program chose to drop it. */
#define bee_ringbuf_discard(e) bpf_ringbuf_discard(e, 0)

/* bpf_ringbuf_output(&ring, data, size, 0) that counts a failure in bee_lost_<ring>; returns its result. */
#define bee_ringbuf_output(ring, data, size)                            \
	({                                                              \
		long __bee_rc = bpf_ringbuf_output(&ring, data, size, 0);\
		if (__bee_rc)                                           \
			bee__count_lost(&bee__lost(ring));              \
		__bee_rc;                                               \
	})

#endif /* __BEE_TYPES_H */
