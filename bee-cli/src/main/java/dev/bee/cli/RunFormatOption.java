package dev.bee.cli;

import picocli.CommandLine.Option;

/**
 * {@code bee run -o text|json|none}: how records are printed. {@code none} prints no records at all (only
 * the start, warnings, errors and the summary on stderr) for fleets, where every event in the pod log costs
 * more than it tells; metrics, the ready file and the summary's counts are unchanged.
 */
final class RunFormatOption {
    enum Format { text, json, none }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "Records as ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); none prints no records, "
                    + "only the start, errors and the summary (metrics still count every record).")
    Format format = Format.text;

    boolean json() {
        return format == Format.json;
    }

    boolean none() {
        return format == Format.none;
    }
}
