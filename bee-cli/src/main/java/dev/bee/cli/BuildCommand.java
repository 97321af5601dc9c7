package dev.bee.cli;

import dev.bee.core.BeeHome;
import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;
import dev.bee.core.build.CompileResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bee build PROG.c}: compile an eBPF C program into a BPF object with clang. */
@Command(name = "build", description = "Compile an eBPF C program into a BPF ELF object.")
final class BuildCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "PROG.c", description = "The eBPF program's C source.")
    Path source;

    @Option(names = {"-o", "--output-file"}, paramLabel = "FILE",
            description = "Where to write the object (default: the source with .o).")
    Path output;

    @Option(names = "--cflags", paramLabel = "FLAGS", description = "Extra flags for clang (repeatable).")
    List<String> cflags = new ArrayList<>();

    @Option(names = "--clang", paramLabel = "PATH", description = "The clang to use (default: clang on PATH).")
    Path clang;

    @Option(names = "--vmlinux", paramLabel = "PATH",
            description = "Use this vmlinux.h instead of generating one from the kernel's BTF.")
    Path vmlinux;

    @Override
    public Integer call() {
        ClangCompiler compiler = new ClangCompiler(BeeHome.cache(), msg -> System.err.println("bee: " + msg),
                System.err::println);
        CompileResult result = compiler.compile(new CompileRequest(source, output, cflags, clang, vmlinux));
        System.err.println("bee: wrote " + result.output() + " (" + result.object().programs().size() + " programs, "
                + result.object().maps().size() + " maps)");
        return 0;
    }
}
