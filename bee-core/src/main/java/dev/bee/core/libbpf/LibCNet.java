package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;

/**
 * libc's network calls, for attaching to interfaces and sockets and reading tc state over netlink. Bound
 * on first use ({@link Native}): most runs never need them.
 */
public interface LibCNet {
    int if_nametoindex(String name);

    int socket(int domain, int type, int protocol);

    int setsockopt(int fd, int level, int name, @In Pointer value, int length);

    int bind(int fd, @In Pointer address, int length);

    long send(int fd, @In Pointer buf, @size_t long length, int flags);

    long recv(int fd, @Out Pointer buf, @size_t long length, int flags);
}
