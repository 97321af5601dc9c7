package dev.bee.cli;

import picocli.CommandLine.Command;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * What bee needs from its arguments before picocli parses them, found in one scan: the subcommand they
 * name (so only its command line is built) and {@code --config-dir} (which the native binding's cache
 * follows before picocli sets it). The rules are the launcher's ({@code src/main/launcher/bee}), which
 * scans the same way before the JVM starts to pick its flags and archive: the first word that is neither
 * an option nor the value of {@code --storage} or {@code --config-dir} names the command; {@code --} ends
 * the scan. {@code LauncherIT} checks that both agree.
 *
 * @param command   the subcommand class named, or null for none or an unknown one
 * @param configDir {@code --config-dir}'s value as an absolute path, when given and valid
 */
record CommandLineScan(Class<?> command, Optional<String> configDir) {
    /** Global options that take a value, which the scan skips over. */
    private static final java.util.Set<String> GLOBAL_WITH_VALUE = java.util.Set.of("--storage", "--config-dir");

    static CommandLineScan of(String... args) {
        String word = null;
        String dir = null;
        for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
            String a = args[i];
            if (a.equals("--config-dir") && i + 1 < args.length) {
                dir = args[++i];
            } else if (a.startsWith("--config-dir=")) {
                dir = a.substring("--config-dir=".length());
            } else if (GLOBAL_WITH_VALUE.contains(a)) {
                i++; // its value
            } else if (!a.startsWith("-") && word == null) {
                word = a;
            }
        }
        return new CommandLineScan(command(word), absolute(dir));
    }

    private static Class<?> command(String word) {
        if (word == null) {
            return null;
        }
        for (Class<?> c : Main.Tree.class.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            if (command.name().equals(word) || Arrays.asList(command.aliases()).contains(word)) {
                return c;
            }
        }
        return null;
    }

    private static Optional<String> absolute(String dir) {
        if (dir == null || dir.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(dir).toAbsolutePath().toString());
        } catch (InvalidPathException e) {
            return Optional.empty(); // picocli reports it
        }
    }
}
