package dev.bee.core.build;

import dev.bee.core.Architecture;
import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.btf.BtfReader;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.WriteError;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles an eBPF C program into a BPF ELF object with the local clang, the way BumbleBee does:
 * {@code -g -O2 -target bpf -D__TARGET_ARCH_<arch>}, with {@code vmlinux.h}, the libbpf headers and
 * bee's headers on the include path, then {@code llvm-strip -g} (which keeps {@code .BTF}). The
 * object is checked with {@link ObjectReader} and only then moved to its destination, so a failed
 * build never leaves a half-written file. Where it gives the same object, clang reads vmlinux.h
 * precompiled ({@link PrecompiledHeader}); clang's version is asked once per clang binary.
 */
public final class ClangCompiler {
    private static final Pattern WRITE_FAILURE =
            Pattern.compile("No space left on device|Read-only file system|Disk quota exceeded");
    private final Path cacheRoot;
    private final Path kernelBtf;
    private final Consumer<String> progress;
    private final Consumer<String> diagnostics;

    /**
     * @param progress    receives one line per step (for a person watching)
     * @param diagnostics receives clang's warnings and errors, line by line
     */
    public ClangCompiler(Path cacheRoot, Consumer<String> progress, Consumer<String> diagnostics) {
        this(cacheRoot, BtfReader.KERNEL_BTF, progress, diagnostics);
    }

    /** A compiler that takes the kernel's BTF from {@code kernelBtf} (for tests: a small hand-made BTF). */
    ClangCompiler(Path cacheRoot, Path kernelBtf, Consumer<String> progress, Consumer<String> diagnostics) {
        this.cacheRoot = cacheRoot;
        this.kernelBtf = kernelBtf;
        this.progress = progress;
        this.diagnostics = diagnostics;
    }

    /** gcc's rule: the object never replaces the source, by whatever path or hard link it is named. */
    private static void requireNotSource(Path source, Path output) {
        try {
            if (Files.exists(output) && Files.isSameFile(source, output)) {
                throw new BeeException(ErrorKind.USAGE, "the output file " + output + " is the source " + source
                        + "; bee does not replace a program's source with its object",
                        "give the object another name with -o, e.g. -o " + CompileRequest.defaultOutput(source));
            }
        } catch (IOException e) {
            // cannot tell: the write itself reports what is wrong with the output path
        }
    }

    public CompileResult compile(CompileRequest req) {
        Path source = req.source();
        if (!Files.isRegularFile(source)) {
            throw new BeeException(ErrorKind.NOT_FOUND, source + ": no such file", "check the path of the C source");
        }
        requireSourceText(source);
        Path output = req.output() != null ? req.output() : CompileRequest.defaultOutput(source);
        requireNotSource(source, output);
        Path clang = req.clang() != null ? checkTool(req.clang(), "--clang") : ToolLocator.find("clang")
                .orElseThrow(() -> new BeeException(ErrorKind.ENVIRONMENT, "clang is not installed (not found on PATH)",
                        "install it: apt-get install clang llvm libbpf-dev (or pass --clang PATH)"));
        Path strip = ToolLocator.find("llvm-strip").orElseThrow(() -> new BeeException(ErrorKind.ENVIRONMENT,
                "llvm-strip is not installed (not found on PATH)", "install it: apt-get install llvm"));
        String version = clangVersion(clang, cacheRoot, Instant.now());
        Path vmlinuxDir = req.vmlinux() != null ? VmlinuxHeader.forFile(req.vmlinux(), cacheRoot)
                : VmlinuxHeader.forKernel(kernelBtf, cacheRoot, progress);
        Path beeInclude = BeeHeaders.includeDir(cacheRoot);

        List<String> flags = new ArrayList<>(List.of("-g", "-O2", "-target", "bpf",
                "-D__TARGET_ARCH_" + Architecture.host().map(Architecture::bpfTarget).orElse(System.getProperty("os.arch")),
                "-I" + vmlinuxDir, "-I" + beeInclude));
        Path multiarch = Architecture.host().map(a -> Path.of("/usr/include", a.multiarch())).orElse(null);
        if (multiarch != null && Files.isDirectory(multiarch)) {
            flags.add("-idirafter");
            flags.add(multiarch.toString()); // asm/ headers, only if nothing earlier provides them
        }
        List<String> userFlags = new ArrayList<>();
        for (String flag : req.cflags()) {
            userFlags.addAll(splitFlags(flag));
        }
        flags.addAll(userFlags);
        Path pch = req.vmlinux() == null && PrecompiledHeader.applies(source, userFlags)
                ? PrecompiledHeader.obtain(clang, flags, vmlinuxDir, progress) : null;
        Path tmp;
        try {
            tmp = AtomicFiles.tempFor(output);
        } catch (IOException e) {
            throw WriteError.of(output, e, "choose another --output-file");
        }
        // clang reports a failed write of the object as a compile error: told apart by the system's reason.
        AtomicReference<String> full = new AtomicReference<>();
        Consumer<String> shown = line -> {
            Matcher m = WRITE_FAILURE.matcher(line);
            if (m.find()) {
                full.set(m.group());
            }
            diagnostics.accept(line);
        };
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(clang.toString());
            cmd.addAll(flags);
            cmd.addAll(List.of("-c", source.toString(), "-o", tmp.toString()));
            progress.accept("compiling " + source + " with clang " + version);
            int rc;
            if (pch != null) {
                // With the precompiled header first; should that fail, without it, and only that run's
                // messages are shown (a program's own errors fail both ways).
                List<String> withPch = new ArrayList<>(cmd);
                withPch.addAll(1, List.of("-include-pch", pch.toString()));
                List<String> lines = new ArrayList<>();
                rc = run(withPch, lines::add);
                if (rc == 0) {
                    lines.forEach(shown);
                    cmd = withPch;
                } else {
                    rc = run(cmd, shown);
                    if (rc == 0) {
                        PrecompiledHeader.refuse(pch);
                    }
                }
            } else {
                rc = run(cmd, shown);
            }
            if (rc != 0 && full.get() != null) {
                throw WriteError.of(output, new FileSystemException(output.toString(), null, full.get()),
                        "choose another --output-file");
            }
            if (rc != 0) {
                throw new BeeException(ErrorKind.BUILD, "clang could not compile " + source + " (exit code " + rc + ")",
                        "fix the errors clang printed above");
            }
            int src = run(List.of(strip.toString(), "-g", tmp.toString()), shown);
            if (src != 0 && full.get() != null) {
                throw WriteError.of(output, new FileSystemException(output.toString(), null, full.get()),
                        "choose another --output-file");
            }
            if (src != 0) {
                throw new BeeException(ErrorKind.BUILD, "llvm-strip failed on the compiled object (exit code " + src + ")");
            }
            byte[] bytes = Files.readAllBytes(tmp);
            BpfObject object = ObjectReader.read(output.toString(), bytes);
            try {
                AtomicFiles.commit(tmp, output);
            } catch (IOException e) {
                throw WriteError.of(output, e, "choose another --output-file");
            }
            String digest = "sha256:" + VmlinuxHeader.sha256(Files.readAllBytes(source));
            return new CompileResult(output, object, version, digest, List.copyOf(cmd));
        } catch (IOException e) {
            throw new BeeException(ErrorKind.ENVIRONMENT, "build of " + source + " failed: " + e.getMessage(), null, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the temp file is hidden and named after the output
            }
        }
    }

    private static Path checkTool(Path p, String flag) {
        if (!Files.isExecutable(p)) {
            throw new BeeException(ErrorKind.ENVIRONMENT, flag + " " + p + " is not an executable file",
                    "pass the full path of clang, for example /usr/bin/clang-16");
        }
        return p;
    }

    /**
     * Refuses what clang would only answer with pages of warnings: a compiled object (ELF) or other binary
     * file given where C source is expected.
     */
    private static void requireSourceText(Path source) {
        byte[] head;
        try (var in = Files.newInputStream(source)) {
            head = in.readNBytes(512);
        } catch (java.io.IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read " + source + ": " + e.getMessage(), null);
        }
        if (head.length >= 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F') {
            throw new BeeException(ErrorKind.USAGE, source + " is a compiled object (ELF), not C source",
                    "bee build takes the .c file; 'bee describe " + source + "' shows the object, 'bee run "
                            + source + "' runs it");
        }
        for (byte b : head) {
            if (b == 0) {
                throw new BeeException(ErrorKind.USAGE, source + " is a binary file, not C source",
                        "bee build takes an eBPF program's .c file");
            }
        }
    }

    /** The version of the clang bee would use (the one on PATH, else the newest clang-N), if there is one. */
    public static java.util.Optional<String> installedVersion() {
        return ToolLocator.find("clang").flatMap(c -> {
            try {
                return java.util.Optional.of(clangVersion(c));
            } catch (BeeException e) {
                return java.util.Optional.empty();
            }
        });
    }

    /**
     * clang's version number, remembered per clang binary so a build starts clang once: keyed by the
     * binary's real path (symbolic links and alternatives resolved) and its {@link FileStamp}, which an
     * upgrade or another clang changes. The version is only remembered once the binary has
     * {@linkplain FileStamp#settled settled}; without a stamp, clang is asked every time.
     */
    static String clangVersion(Path clang, Path cacheRoot, Instant now) {
        Path real;
        FileStamp stamp;
        try {
            real = clang.toRealPath();
            stamp = FileStamp.of(real);
        } catch (IOException | RuntimeException e) {
            return clangVersion(clang);
        }
        Path index = cacheRoot.resolve("clang");
        String key = "clang " + stamp.key();
        var known = StampIndex.get(index, key);
        if (known.isPresent() && !known.get().isBlank()) {
            return known.get();
        }
        String version = clangVersion(clang);
        try {
            if (stamp.settled(now) && stamp.equals(FileStamp.of(real))) {
                StampIndex.put(index, key, version);
            }
        } catch (IOException | RuntimeException e) {
            // not remembered: asked again next time
        }
        return version;
    }

    /** clang's version number, e.g. {@code 14.0.6}, from {@code clang --version}. */
    static String clangVersion(Path clang) {
        List<String> out = new ArrayList<>();
        try {
            int rc = run(List.of(clang.toString(), "--version"), out::add);
            if (rc == 0 && !out.isEmpty()) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("version (\\S+)").matcher(out.get(0));
                return m.find() ? m.group(1) : out.get(0);
            }
        } catch (IOException e) {
            // fall through to the error below
        }
        throw new BeeException(ErrorKind.ENVIRONMENT, clang + " --version failed", "check the clang installation");
    }

    /** Splits one --cflags value on whitespace, as BumbleBee passes it to clang. */
    static List<String> splitFlags(String flags) {
        List<String> out = new ArrayList<>();
        for (String f : flags.trim().split("\\s+")) {
            if (!f.isEmpty()) {
                out.add(f);
            }
        }
        return out;
    }

    static int run(List<String> cmd, Consumer<String> lines) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.accept(line);
            }
        }
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd.get(0));
        }
    }
}
