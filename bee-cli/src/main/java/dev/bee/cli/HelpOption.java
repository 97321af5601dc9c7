package dev.bee.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} on every subcommand (the version options stay on {@code bee} itself). */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
