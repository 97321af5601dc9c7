package dev.bee.cli;

import picocli.CommandLine.Option;

/** {@code -o text|json}: shared by the subcommands that print data. */
final class FormatOption {
    enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }
}
