package dev.bee.cli;

import dev.bee.core.image.ImageStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The {@code bee} command: builds, describes, runs and distributes eBPF programs. Each subcommand is a
 * thin {@code Callable<Integer>} over bee-core; errors go through {@link ErrorHandler}. The options here
 * are global: they work before or after the subcommand, and every subcommand has {@code -h/--help}
 * ({@link HelpOption}; not by inheriting this command's attributes, which would compute the version, with
 * its libbpf load and clang run, on every start).
 *
 * <p>{@link WithCommands} is bee with all its subcommands (the help, completion, the man pages); a run of
 * one subcommand builds picocli's model of that one only ({@link #commandLine(String...)}), which saves
 * most of picocli's reflection on every start.
 */
@Command(name = "bee", mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        header = "Build, run and distribute eBPF programs.",
        description = "bee compiles eBPF programs written in C, runs them with their maps shown as records, "
                + "Prometheus metrics or a live screen, and moves them through OCI registries as images.",
        exitCodeListHeading = "%nExit codes:%n",
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
                "9:a required tool or library is not installed"})
public class Main implements Runnable {
    private boolean verbose;

    @Option(names = "--storage", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Local image store, an OCI image layout folder (default: $BEE_STORAGE, else ~/.bee/store).")
    Path storage;

    @Spec
    CommandSpec spec;

    Main() {
    }

    /** bee with every subcommand, as {@code bee --help} lists them. */
    @Command(subcommands = {InitCommand.class, BuildCommand.class, RunCommand.class, VerifyCommand.class,
                DescribeCommand.class, ListCommand.class,
                PushCommand.class, PullCommand.class, TagCommand.class, RmiCommand.class, LoginCommand.class,
                LogoutCommand.class, PackageCommand.class, VersionCommand.class, CompletionCommand.class,
                CdsTrainingCommand.class, CommandLine.HelpCommand.class})
    static final class WithCommands extends Main {
    }

    /** {@code -v}, and BumbleBee's {@code -d/--debug}: debug logs and stack traces of errors. */
    @Option(names = {"-v", "--verbose", "-d", "--debug"}, scope = ScopeType.INHERIT,
            description = "Show debug logs and stack traces of errors.")
    void setVerbose(boolean on) {
        this.verbose = on;
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
            System.setProperty("org.slf4j.simpleLogger.log.land.oras", "debug");
            System.setProperty("org.slf4j.simpleLogger.showThreadName", "true");
            System.setProperty("org.slf4j.simpleLogger.showLogName", "true");
            System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
        }
    }

    /** BumbleBee's {@code --config-dir}: where bee keeps its store, credentials and caches (as BEE_HOME). */
    @Option(names = "--config-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "bee's own folder for the store, credentials and caches (default: $BEE_HOME, else ~/.bee).")
    void setConfigDir(Path dir) {
        System.setProperty(dev.bee.core.BeeHome.PROPERTY, dir.toAbsolutePath().toString());
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
        int code = run(args);
        System.out.flush();
        System.err.flush();
        // Libraries (registry clients) can leave non-daemon threads behind: end explicitly.
        System.exit(code);
    }

    /** Runs bee with {@code args} and returns the exit code, without exiting (for tests). */
    public static int run(String... args) {
        // oras-java logs failed requests at ERROR with stack traces; bee reports them itself (-v shows more).
        if (System.getProperty("org.slf4j.simpleLogger.log.land.oras") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.land.oras", "off");
        }
        // Short warnings ("WARN ..."), set before any logger exists (slf4j-simple reads them once);
        // -v puts the detail back.
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
        return commandLine(args).execute(args);
    }

    /**
     * The subcommands a run can build alone, by every name they answer to (CommandLineTest checks this
     * against {@link WithCommands}). {@code help}, {@code completion} and {@code cds-training} are not
     * here: they list, describe or load the other commands.
     */
    private static final Map<String, Class<?>> ALONE = Map.ofEntries(
            Map.entry("init", InitCommand.class), Map.entry("build", BuildCommand.class),
            Map.entry("run", RunCommand.class), Map.entry("verify", VerifyCommand.class),
            Map.entry("describe", DescribeCommand.class), Map.entry("list", ListCommand.class),
            Map.entry("ls", ListCommand.class), Map.entry("push", PushCommand.class),
            Map.entry("pull", PullCommand.class), Map.entry("tag", TagCommand.class),
            Map.entry("rmi", RmiCommand.class), Map.entry("login", LoginCommand.class),
            Map.entry("logout", LogoutCommand.class), Map.entry("package", PackageCommand.class),
            Map.entry("version", VersionCommand.class));

    /** The global options that take a value, which the search for the subcommand's name skips. */
    private static final Set<String> VALUED = Set.of("--storage", "--config-dir");

    /** bee with all its subcommands. */
    static CommandLine commandLine() {
        return configure(new CommandLine(new WithCommands()));
    }

    /**
     * bee for running {@code args}: when they name a subcommand that runs alone, bee with only that one,
     * else with all (for the help, and the suggestions for a mistyped name).
     */
    static CommandLine commandLine(String... args) {
        Class<?> alone = ALONE.get(commandName(args));
        if (alone == null) {
            return commandLine();
        }
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand(alone);
        return configure(cl);
    }

    /** The first argument that is neither an option nor a global option's value: the subcommand's name. */
    static String commandName(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return "";
    }

    private static CommandLine configure(CommandLine cl) {
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
