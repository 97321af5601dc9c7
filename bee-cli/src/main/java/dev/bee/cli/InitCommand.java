package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.init.InitChoices;
import dev.bee.core.init.NewProgram;
import dev.bee.core.init.ProgramKind;
import dev.bee.core.object.OutputKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bee init}: write a new program that builds and runs as it is. Asks for what is missing when a
 * terminal is attached; otherwise the flags and their defaults decide.
 */
@Command(name = "init", header = "Write a new eBPF program that builds and runs as it is.",
        description = "Write a new eBPF program in C that builds with `bee build` and runs with `bee run` as it "
                + "is: TCP connects, file opens or process exits (or any tracing --section), into a ring "
                + "buffer or a hash map shown as printed records, a counter, a gauge or a histogram. Asks for "
                + "missing choices on a terminal; in scripts the flags and their defaults decide.")
final class InitCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Spec
    CommandSpec spec;

    @Option(names = "--lang", paramLabel = "LANG", description = "Language of the program: c (the only one).")
    String lang;

    @Option(names = "--program-type", paramLabel = "TYPE",
            description = "network (TCP connects), file-system (openat) or process (exec and exit) (default: network).")
    String programType;

    @Option(names = "--kprobe", description = "network: hook tcp_v4_connect with a kprobe instead of the sock tracepoint.")
    Boolean kprobe;

    @Option(names = "--section", paramLabel = "SEC",
            description = "Instead of a type: a program on this section, e.g. tracepoint/syscalls/sys_enter_openat.")
    String section;

    @Option(names = "--map", paramLabel = "KIND", description = "ringbuf (one event each) or hash (aggregated per key) (default: ringbuf).")
    String map;

    @Option(names = "--output", paramLabel = "KIND", description = "print, counter, gauge or hist (default: print).")
    String output;

    @Option(names = "--file", paramLabel = "PATH", description = "Where to write the program (default from the type, e.g. tcp_connect.c).")
    Path file;

    @Option(names = "--force", description = "Overwrite the file if it exists.")
    boolean force;

    @Override
    public Integer call() {
        Console console = System.console();
        Prompter ask = console == null ? null : new Prompter(console);
        String language = choose(ask, lang, "Language", List.of("c"), "c");
        if (!language.equals("c")) {
            throw new BeeException(ErrorKind.USAGE, "--lang " + lang + ": bee init writes C programs", "use --lang c");
        }
        ProgramKind kind;
        if (section != null) {
            kind = ProgramKind.SECTION;
        } else {
            String t = choose(ask, programType, "Program type", List.of("network", "file-system", "process"), "network");
            kind = ProgramKind.of(t);
            if (kind == null) {
                throw new BeeException(ErrorKind.USAGE, "--program-type " + t + ": unknown",
                        "use network, file-system or process, or --section SEC for any tracing hook");
            }
        }
        boolean useKprobe = kprobe != null ? kprobe : kind == ProgramKind.NETWORK && ask != null
                && choose(ask, null, "Hook", List.of("tracepoint", "kprobe"), "tracepoint").equals("kprobe");
        String m = choose(ask, map, "Map type", List.of("ringbuf", "hash"), "ringbuf");
        InitChoices.MapKind mapKind = switch (m.toLowerCase(Locale.ROOT)) {
            case "ringbuf", "ringbuffer", "ring_buffer" -> InitChoices.MapKind.RINGBUF;
            case "hash", "hashmap", "hash_map" -> InitChoices.MapKind.HASH;
            default -> throw new BeeException(ErrorKind.USAGE, "--map " + m + ": unknown", "use ringbuf or hash");
        };
        String o = choose(ask, output, "Output", List.of("print", "counter", "gauge", "hist"), "print");
        OutputKind outputKind = OutputKind.of(o.toLowerCase(Locale.ROOT) + "_", null);
        if (outputKind == OutputKind.NONE) {
            throw new BeeException(ErrorKind.USAGE, "--output " + o + ": unknown", "use print, counter, gauge or hist");
        }
        InitChoices choices = new InitChoices(kind, useKprobe, section, mapKind, outputKind);
        Path target = file != null ? file
                : Path.of(choose(ask, null, "File", List.of(), kind.defaultFile()));
        NewProgram.Written w = NewProgram.write(target, choices, force);
        print(w);
        return 0;
    }

    /** The flag's value, else the answer to a prompt on a terminal, else the default. */
    private static String choose(Prompter ask, String flag, String question, List<String> options, String dflt) {
        if (flag != null) {
            return flag;
        }
        return ask == null ? dflt : ask.ask(question, options, dflt);
    }

    private void print(NewProgram.Written w) {
        PrintWriter out = spec.commandLine().getOut();
        String build = "bee build " + w.file() + " -o " + w.object();
        String run = "bee run " + w.object();
        out.println("bee: wrote " + w.file() + " (map " + w.map() + ")");
        out.println("Build and run it:");
        out.println("  " + build);
        out.println("  " + run);
        out.flush();
    }

    /** Asks on the terminal, showing the options and the default; an empty answer takes the default. */
    private static final class Prompter {
        private final Console console;

        Prompter(Console console) {
            this.console = console;
        }

        String ask(String question, List<String> options, String dflt) {
            while (true) {
                String line = console.readLine("%s%s [%s]: ", question,
                        options.isEmpty() ? "" : " (" + String.join(", ", options) + ")", dflt);
                if (line == null) {
                    throw new BeeException(ErrorKind.USAGE, "bee init: no answer (end of input)",
                            "answer the questions, or give every choice as a flag (see bee init --help)");
                }
                String a = line.trim();
                if (a.isEmpty()) {
                    return dflt;
                }
                if (options.isEmpty() || options.contains(a.toLowerCase(Locale.ROOT))) {
                    return a;
                }
                console.printf("Please answer one of: %s%n", String.join(", ", options));
            }
        }
    }
}
