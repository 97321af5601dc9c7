package dev.bee.cli;

import picocli.CommandLine.Option;

/** {@code -v}: debug logs and stack traces; shared by every subcommand. */
final class VerboseOption {
    boolean verbose;

    @Option(names = {"-v", "--verbose"}, description = "Show debug logs and stack traces of errors.")
    void setVerbose(boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
            System.setProperty("org.slf4j.simpleLogger.log.land.oras", "debug");
        }
    }
}
