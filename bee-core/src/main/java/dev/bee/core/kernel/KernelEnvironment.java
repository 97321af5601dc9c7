package dev.bee.core.kernel;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * What the running kernel offers, read from /proc and /sys and never changed: this process's
 * capabilities, what is mounted where, the kernel's configuration, and whether it has kprobes or an
 * active BPF LSM (for error messages). Setting the machine up before a load is the runtime's {@code
 * KernelSetup}.
 */
public final class KernelEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(KernelEnvironment.class);
    public static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    public static final Path DEBUGFS = Path.of("/sys/kernel/debug");
    public static final Path BPFFS = Path.of("/sys/fs/bpf");

    private KernelEnvironment() {
    }

    /** The capabilities of this process, from /proc/self/status. */
    public static ProcessCapabilities capabilities() {
        try {
            return ProcessCapabilities.parse(readKernelFile(Path.of("/proc/self/status")));
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INTERNAL, "cannot read /proc/self/status: " + e.getMessage(),
                    "bee needs a Linux /proc to check its capabilities");
        }
    }

    public static boolean hasCapability(Capability c) {
        return capabilities().has(c);
    }

    /** The facts about this machine that {@link CapabilityCheck} weighs besides the process's capabilities. */
    public static CapabilityCheck.Machine machine() {
        return new CapabilityCheck.Machine(kernelHasBpfCapabilities(), tracefsReadable());
    }

    /** Whether the kernel knows CAP_BPF (5.8+): the highest capability number it has reaches it. */
    private static boolean kernelHasBpfCapabilities() {
        try {
            return Integer.parseInt(readKernelFile(Path.of("/proc/sys/kernel/cap_last_cap")).trim())
                    >= Capability.BPF.bit();
        } catch (IOException | NumberFormatException e) {
            return true;
        }
    }

    /**
     * Whether this user may read tracepoint ids without capabilities. access(2), which Files.isReadable
     * uses, checks the real uid with the capabilities of a non-root user left out: the answer wanted.
     */
    private static boolean tracefsReadable() {
        Path events = TRACEFS.resolve("events");
        return Files.isReadable(events) && Files.isExecutable(events);
    }

    /**
     * A file of /proc or /sys, read in one call: Files.readString reads a file the kernel says is empty
     * one byte first, and a sysctl file answers a read past its start with nothing (cap_last_cap read "4").
     */
    private static String readKernelFile(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The file system type mounted at {@code path}, from /proc/self/mounts. */
    public static Optional<String> mountedType(Path path) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[1].equals(path.toString())) {
                    return Optional.of(f[2]);
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The type of the file system {@code path} would live on: that of the mount holding its nearest
     * existing ancestor (symlinks resolved); empty when /proc/self/mounts cannot tell.
     */
    public static Optional<String> fileSystemOf(Path path) {
        Path p = path.toAbsolutePath().normalize();
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            return Optional.empty();
        }
        try {
            String real = p.toRealPath().toString();
            String best = null;
            String type = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && (real.equals(f[1]) || real.startsWith(f[1].endsWith("/") ? f[1] : f[1] + "/"))
                        && (best == null || f[1].length() >= best.length())) {
                    best = f[1];
                    type = f[2];
                }
            }
            return Optional.ofNullable(type);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether kprobes exist in this kernel: the kernel config when readable (/proc/config.gz or
     * /boot/config-RELEASE), else tracefs' kprobe_events. Empty when nothing tells.
     */
    public static Optional<Boolean> kprobesAvailable() {
        Optional<String> config = kernelConfig();
        if (config.isPresent()) {
            for (String line : config.get().split("\n")) {
                if (line.equals("CONFIG_KPROBES=y")) {
                    return Optional.of(true);
                }
                if (line.equals("# CONFIG_KPROBES is not set")) {
                    return Optional.of(false);
                }
            }
        }
        if (mountedType(TRACEFS).isPresent()) {
            return Optional.of(Files.exists(TRACEFS.resolve("kprobe_events")));
        }
        return Optional.empty();
    }

    /** Whether the BPF LSM is active (listed in /sys/kernel/security/lsm). */
    public static Optional<Boolean> bpfLsmActive() {
        try {
            String lsm = Files.readString(Path.of("/sys/kernel/security/lsm")).trim();
            return Optional.of(List.of(lsm.split(",")).contains("bpf"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The kernel's build configuration, if this machine exposes it. */
    public static Optional<String> kernelConfig() {
        Path gz = Path.of("/proc/config.gz");
        if (Files.isReadable(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return Optional.of(out.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.debug("cannot read /proc/config.gz: {}", e.toString());
            }
        }
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            Path boot = Path.of("/boot/config-" + release);
            if (Files.isReadable(boot)) {
                return Optional.of(Files.readString(boot));
            }
        } catch (IOException e) {
            LOG.debug("cannot read the kernel config: {}", e.toString());
        }
        return Optional.empty();
    }
}
