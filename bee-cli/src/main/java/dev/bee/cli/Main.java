package dev.bee.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bee} command: builds, describes, runs and distributes eBPF programs. Each subcommand is a
 * thin {@code Callable<Integer>} over bee-core; errors go through {@link ErrorHandler}.
 */
@Command(name = "bee", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Build, run and distribute eBPF programs.",
        subcommands = {BuildCommand.class, RunCommand.class, DescribeCommand.class, ListCommand.class,
                PushCommand.class, PullCommand.class, TagCommand.class, RmiCommand.class, LoginCommand.class, PackageCommand.class,
                LogoutCommand.class, CommandLine.HelpCommand.class},
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
                "8:permission denied (run as root)",
                "9:a required tool or library is not installed"})
public final class Main {
    private Main() {
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
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        ErrorHandler handler = new ErrorHandler();
        cl.setExecutionExceptionHandler(handler);
        cl.setParameterExceptionHandler(handler);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Reads the version from the jar manifest (set by Maven), else "development". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"bee " + (v == null ? "development" : v),
                    "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                            + System.getProperty("os.version") + " " + System.getProperty("os.arch")};
        }
    }
}
