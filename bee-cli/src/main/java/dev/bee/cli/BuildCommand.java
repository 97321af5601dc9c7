package dev.bee.cli;

import dev.bee.core.BeeHome;
import dev.bee.core.Plural;
import dev.bee.core.build.ClangCompiler;
import dev.bee.core.build.CompileRequest;
import dev.bee.core.build.CompileResult;
import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageBuilder;
import dev.bee.core.image.ImageConfig;
import dev.bee.core.image.ImageLayout;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.Platform;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bee build PROG.c [REF]}: compile an eBPF C program with clang; with a reference, also
 * package the object as an image in the local store (BumbleBee's {@code bee build}), in bee's layout or,
 * with {@code --format bpfman}, as a bpfman bytecode image.
 */
@Command(name = "build", header = "Compile an eBPF C program, and package it as an image.",
        description = "Compile an eBPF C program into a BPF ELF object and, given REF, package it as an OCI image "
                + "in the local store (run it with 'bee run REF', share it with 'bee push REF').")
final class BuildCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Parameters(index = "0", paramLabel = "PROG.c", description = "The eBPF program's C source.")
    Path source;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REF",
            description = "Image reference to store the program under, e.g. localhost:5000/probes/opensnoop:v1.")
    String ref;

    @Option(names = {"-l", "--local"}, hidden = true,
            description = "BumbleBee's flag to build with local tools instead of Docker: bee always does.")
    boolean local;

    @Option(names = "--binary-only", description = "Only write the object file; do not package an image.")
    boolean binaryOnly;

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

    @Option(names = "--description", paramLabel = "TEXT", description = "Image annotation org.opencontainers.image.description.")
    String description;

    @Option(names = "--author", paramLabel = "TEXT", description = "Image annotation org.opencontainers.image.authors.")
    String author;

    @Option(names = "--source", paramLabel = "URL", description = "Image annotation org.opencontainers.image.source.")
    String sourceUrl;

    @Mixin
    ImageLayoutOption format;

    @Override
    public Integer call() {
        // Check the reference and annotations before spending a compile on them.
        ImageRef image = ref == null || binaryOnly ? null : ImageRef.parse(ref);
        Map<String, String> annotations = image == null ? Map.of()
                : ImageBuilder.annotations(description, author, sourceUrl, System.getenv("SOURCE_DATE_EPOCH"));
        ClangCompiler compiler = new ClangCompiler(BeeHome.cache(), msg -> System.err.println("bee: " + msg),
                System.err::println);
        CompileResult result = compiler.compile(new CompileRequest(source, output, cflags, clang, vmlinux));
        System.err.println("bee: wrote " + result.output() + " ("
                + Plural.of(result.object().programs().size(), "program") + ", "
                + Plural.of(result.object().maps().size(), "map") + ")");
        if (image == null) {
            return 0;
        }
        Platform platform = Platform.host();
        ImageBuilder.Built built = format.layout.build(result.object(), new ImageConfig.Build(result.clangVersion(),
                result.sourceDigest(), source.getFileName().toString()), platform, annotations);
        ImageStore store = bee.store();
        ImageBuilder.store(store, image.familiar(), built, platform);
        System.err.println("bee: stored " + image.familiar() + " (" + built.digest()
                + (format.layout == ImageLayout.BEE ? "" : ", " + format.layout.label() + " layout") + ") in " + store.root());
        System.out.println(built.digest());
        return 0;
    }
}
