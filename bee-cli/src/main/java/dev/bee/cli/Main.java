package dev.bee.cli;

import dev.bee.cli.startup.Training;
import dev.bee.core.BeeHome;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.ImageStore;
import dev.bee.core.runtime.LibbpfBinding;
import dev.bee.core.sink.VisibleTextStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code bee} command: builds, describes, runs and distributes eBPF programs. Each subcommand is a
 * thin {@code Callable<Integer>} over bee-core; errors go through {@link ErrorHandler}. The options here
 * are global: they work before or after the subcommand, and every subcommand has {@code -h/--help}
 * ({@link HelpOption}; not by inheriting this command's attributes, which would compute the version, with
 * its libbpf load and clang run, on every start).
 */
@Command(name = "bee", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        header = "Build, run and distribute eBPF programs.",
        description = "bee compiles eBPF programs written in C, runs them with their maps shown as records, "
                + "Prometheus metrics or a live screen, and moves them through OCI registries as images.",
        exitCodeListHeading = "%nExit codes:%n",
        // The same words as ErrorKind's meanings (an annotation cannot read them; CommandLineTest compares).
        exitCodeList = {
                "0:success",
                "1:internal error (a bug in bee)",
                "2:usage error (bad flag or argument)",
                "3:invalid input (malformed object, BTF or image)",
                "4:build failed (clang rejected the program)",
                "5:kernel refused a load or attach, or lacks a feature",
                "6:registry unreachable or refused the request",
                "7:not found (file, image or tag)",
                "8:permission denied (root or a capability is missing)",
                "9:a required tool or library is not installed",
                "10:cannot write a file (read-only or full file system, or a bad path)",
                "11:refused by its signatures or the trust policy (nothing loaded or stored)"})
public class Main implements Runnable {
    /** Commands that read the whole tree: they get every subcommand even when named. */
    private static final Set<Class<?>> NEED_TREE = Set.of(CommandLine.HelpCommand.class, CompletionCommand.class);

    private boolean verbose;

    @Option(names = "--storage", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Local image store, an OCI image layout folder (default: $BEE_STORAGE, else ~/.bee/store).")
    Path storage;

    @Spec
    CommandSpec spec;

    Main() {
    }

    /**
     * bee with every subcommand: for usage, help, completion and man pages. A command line that names a
     * subcommand gets only that one ({@link #commandLine(String...)}): building picocli's model of all of
     * them cost more start-up than most commands' work.
     */
    @Command(subcommands = {InitCommand.class, BuildCommand.class, RunCommand.class, VerifyCommand.class,
            DescribeCommand.class, ListCommand.class, ConvertCommand.class,
            PushCommand.class, PullCommand.class, TagCommand.class, RmiCommand.class, LoginCommand.class,
            LogoutCommand.class, SignCommand.class, KeyCommand.class, PolicyCommand.class, PackageCommand.class, VersionCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
    static final class Tree extends Main {
    }

    /** {@code -v}, and BumbleBee's {@code -d/--debug}: debug logs and stack traces of errors. */
    @Option(names = {"-v", "--verbose", "-d", "--debug"}, scope = ScopeType.INHERIT,
            description = "Show debug logs and stack traces of errors.")
    void setVerbose(boolean on) {
        this.verbose = on;
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
            System.setProperty("org.slf4j.simpleLogger.showLogName", "true");
            System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        }
    }

    /** BumbleBee's {@code --config-dir}: where bee keeps its store, credentials and caches (as BEE_HOME). */
    @Option(names = "--config-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "bee's own folder for the store, credentials and caches (default: $BEE_HOME, else ~/.bee).")
    void setConfigDir(Path dir) {
        System.setProperty(BeeHome.PROPERTY, dir.toAbsolutePath().toString());
    }

    boolean verbose() {
        return verbose;
    }

    ImageStore store() {
        return new ImageStore(storage != null ? storage : ImageStore.defaultRoot());
    }

    /** {@code bee} alone: the usage, as {@code bee --help} prints it. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        visibleStderr();
        int code = args.length > 0 && args[0].equals(Training.COMMAND) ? train(args) : run(args);
        System.out.flush();
        System.err.flush();
        // Libraries (registry clients) can leave non-daemon threads behind: end explicitly.
        System.exit(code);
    }

    /** The launcher's training run for its class data sharing archives, before picocli is touched. */
    private static int train(String... args) {
        try {
            return Training.run(args);
        } catch (IOException | RuntimeException e) {
            System.err.println("bee " + Training.COMMAND + ": " + e);
            return ErrorKind.INTERNAL.exitCode();
        }
    }

    /**
     * Every message on stderr quotes input (file names, map names from objects, image references):
     * control characters in them are shown as escapes, not played on the operator's terminal.
     */
    private static void visibleStderr() {
        String encoding = System.getProperty("stderr.encoding", System.getProperty("sun.stderr.encoding"));
        Charset charset;
        try {
            charset = encoding == null ? Charset.defaultCharset() : Charset.forName(encoding);
        } catch (RuntimeException e) {
            charset = Charset.defaultCharset();
        }
        System.setErr(new PrintStream(new VisibleTextStream(new BufferedOutputStream(
                new FileOutputStream(FileDescriptor.err), 512)), true, charset));
    }

    /** Runs bee with {@code args} and returns the exit code, without exiting (for tests). */
    public static int run(String... args) {
        // Short warnings ("WARN ..."), set before any logger exists (slf4j-simple reads them once);
        // -v puts the detail back.
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
        CommandLineScan scan = CommandLineScan.of(args);
        Class<?> named = scan.command();
        if (named == RunCommand.class || named == VerifyCommand.class) {
            // The binding keeps a file in bee's cache: --config-dir (which picocli sets later) counts.
            scan.configDir().ifPresent(dir -> System.setProperty(BeeHome.PROPERTY, dir));
            LibbpfBinding.startInBackground(); // on the second core, while picocli builds the command
        }
        return commandLine(named, args).execute(args);
    }

    /** The whole tree. */
    static CommandLine commandLine() {
        return configure(new CommandLine(new Tree()));
    }

    /** For {@code args}: the one subcommand they name, or the whole tree when they name none or an unknown one. */
    static CommandLine commandLine(String... args) {
        return commandLine(CommandLineScan.of(args).command(), args);
    }

    /** As {@link #commandLine(String...)}, with the subcommand {@code args} name already found. */
    private static CommandLine commandLine(Class<?> named, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return configure(new CommandLine(new Main()));
        }
        if (named == null || NEED_TREE.contains(named)) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(named);
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
