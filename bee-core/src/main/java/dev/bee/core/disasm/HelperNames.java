package dev.bee.core.disasm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The names of the kernel's BPF helpers by id ({@code enum bpf_func_id}), from {@code helpers.txt}
 * beside this class: generated at dev time from the kernel's uapi {@code linux/bpf.h}, so the
 * disassembler names calls without asking the running kernel.
 */
public final class HelperNames {
    private static final Map<Integer, String> NAMES = load();

    private HelperNames() {
    }

    /** {@code bpf_get_current_pid_tgid} for 14; null for an id the table does not know. */
    public static String of(int id) {
        return NAMES.get(id);
    }

    /** Every known id and name. */
    public static Map<Integer, String> all() {
        return NAMES;
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> out = new HashMap<>();
        try (InputStream in = HelperNames.class.getResourceAsStream("helpers.txt")) {
            if (in == null) {
                throw new IllegalStateException("helpers.txt is missing from bee's jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                out.put(Integer.parseInt(f[0]), f[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(out);
    }
}
