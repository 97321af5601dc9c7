package dev.bee.core.libbpf;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Delegate;

/**
 * The libbpf 1.x calls every run makes, bound with jnr-ffi to the system {@code libbpf.so.1}: opening,
 * loading and closing objects, their maps and programs, the common attach kinds and links. The rest is
 * bound on first use ({@link LibBpfAttach}, {@link LibBpfTc}, {@link LibBpfBuffers}), as generating a
 * binding costs about 1 ms per function at the start of a run. Pointers passed are always direct memory
 * and size_t is a long on the LP64 platforms bee runs on, so the parameters carry no jnr-ffi annotations
 * (@In/@Out only steer copies of heap memory): reading them cost about 6 ms of every run's start.
 * Int-returning calls return {@code -errno}; pointer-returning calls return NULL and set errno. Only
 * this package uses it (public only because jnr-ffi generates its implementation in another class
 * loader); everything above works with the typed handles ({@link ObjectHandle}, {@link MapHandle}...).
 */
public interface LibBpf {
    /** {@code libbpf_print_fn_t}: the va_list arrives as a pointer on x86-64 and aarch64. */
    interface PrintFn {
        @Delegate
        int print(int level, Pointer format, Pointer vaList);
    }

    Pointer libbpf_set_print(PrintFn fn);

    int libbpf_strerror(int err, Pointer buf, long size);

    int libbpf_num_possible_cpus();

    int libbpf_major_version();

    int libbpf_minor_version();

    // Objects
    Pointer bpf_object__open_mem(Pointer buf, long size, Pointer opts);

    int bpf_object__load(Pointer obj);

    void bpf_object__close(Pointer obj);

    Pointer bpf_object__next_map(Pointer obj, Pointer prev);

    Pointer bpf_object__next_program(Pointer obj, Pointer prev);

    // Maps
    String bpf_map__name(Pointer map);

    int bpf_map__fd(Pointer map);

    int bpf_map__type(Pointer map);

    int bpf_map__key_size(Pointer map);

    int bpf_map__value_size(Pointer map);

    int bpf_map__max_entries(Pointer map);

    int bpf_map__set_key_size(Pointer map, int size);

    int bpf_map__set_value_size(Pointer map, int size);

    boolean bpf_map__is_internal(Pointer map);

    Pointer bpf_map__initial_value(Pointer map, Pointer psize);

    int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    int bpf_map_get_next_key(int fd, Pointer key, Pointer nextKey);

    // Programs
    String bpf_program__name(Pointer prog);

    String bpf_program__section_name(Pointer prog);

    int bpf_program__fd(Pointer prog);

    int bpf_program__set_autoload(Pointer prog, boolean autoload);

    int bpf_program__set_log_level(Pointer prog, int level);

    int bpf_program__set_log_buf(Pointer prog, Pointer buf, long size);

    int bpf_program__type(Pointer prog);

    int bpf_program__set_type(Pointer prog, int type);

    Pointer bpf_program__attach(Pointer prog);

    Pointer bpf_program__attach_tracepoint(Pointer prog, String category, String name);

    Pointer bpf_program__attach_raw_tracepoint(Pointer prog, String name);

    // Links
    int bpf_link__fd(Pointer link);

    int bpf_link__destroy(Pointer link);

    // Kernel statistics (run count and time per program while an enable_stats fd is open)
    int bpf_enable_stats(int type);

    int bpf_obj_get_info_by_fd(int fd, Pointer info, Pointer infoLen);

}
