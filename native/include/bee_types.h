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

#endif /* __BEE_TYPES_H */
