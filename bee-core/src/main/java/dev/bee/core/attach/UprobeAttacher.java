package dev.bee.core.attach;

import dev.bee.core.libbpf.Errno;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.object.AttachKind;
import dev.bee.core.object.ProgramSpec;

/**
 * {@code uprobe/PATH:SYMBOL[+OFFSET]} and {@code uretprobe/...}. PATH may be a library name
 * ({@code libc.so.6}) that libbpf finds; SYMBOL may be a raw offset ({@code 0x1234}). Traces every
 * process, or only {@code --pid}.
 */
final class UprobeAttacher implements Attacher {
    record Target(String binary, String symbol, long offset) {
    }

    static Target parse(String target) {
        if (target == null) {
            return null;
        }
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || colon == target.length() - 1) {
            return null;
        }
        String binary = target.substring(0, colon);
        String rest = target.substring(colon + 1);
        long offset = 0;
        String symbol = rest;
        int plus = rest.indexOf('+');
        if (plus >= 0) {
            symbol = rest.substring(0, plus);
            offset = number(rest.substring(plus + 1));
        }
        if (symbol.matches("0[xX][0-9a-fA-F]+|\\d+")) {
            return new Target(binary, null, number(symbol) + offset);
        }
        return new Target(binary, symbol, offset);
    }

    private static long number(String s) {
        try {
            return s.startsWith("0x") || s.startsWith("0X") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        boolean ret = spec.attachKind() == AttachKind.URETPROBE;
        Target t = parse(spec.target());
        if (t == null || t.offset() < 0) {
            throw AttachErrors.needs(spec, "a target as PATH:SYMBOL[+OFFSET]",
                    "write SEC(\"uprobe/libc.so.6:getpid\") or SEC(\"uprobe//usr/bin/bash:readline\")");
        }
        String what = (ret ? "uretprobe " : "uprobe ") + spec.target();
        try {
            return LinkAttachment.of(spec.name(),
                    program.attachUprobe(ret, options.pid(), t.binary(), t.symbol(), t.offset()));
        } catch (LibbpfException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.EINVAL || e.errno() == Errno.ESRCH) {
                throw AttachErrors.failed(spec, what, e, "cannot find '" + t.binary() + "'"
                                + (t.symbol() == null ? "" : " or its symbol '" + t.symbol() + "'")
                                + (options.pid() > 0 ? " (or process " + options.pid() + ")" : ""),
                        "give an absolute path or a library name on the loader's path, and a symbol that "
                                + "'nm -D' lists");
            }
            throw AttachErrors.failed(spec, what, e, null, null);
        }
    }
}
