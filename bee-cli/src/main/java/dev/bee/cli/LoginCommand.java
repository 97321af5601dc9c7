package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.registry.LoginCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code bee login SERVER}: check credentials against a registry and save them (mode 0600). */
@Command(name = "login", header = "Log in to a registry.",
        description = "Log in to a registry: the credentials are checked, then saved in ~/.bee/auth.json (or "
                + "--config FILE) with mode 0600.")
final class LoginCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    RegistryOption registry;

    @Parameters(index = "0", paramLabel = "SERVER", description = "Registry host[:port], e.g. localhost:5000.")
    String server;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD",
            description = "Password (visible in the process list: prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() {
        String host = Credentials.serverOf(server);
        if (passwordStdin && password != null) {
            throw new BeeException(ErrorKind.USAGE, "--password and --password-stdin exclude each other");
        }
        String user = username != null ? username : prompt("Username: ", false);
        String pass = passwordStdin ? readPassword(System.in) : password != null ? password : prompt("Password: ", true);
        if (user == null || user.isEmpty() || pass == null || pass.isEmpty()) {
            throw new BeeException(ErrorKind.USAGE, "a user name and a password are needed",
                    "bee login " + host + " -u USER --password-stdin < FILE");
        }
        Credentials.Credential cred = new Credentials.Credential(user, pass);
        LoginCheck.verify(host, cred, registry.options());
        Path file = Credentials.writeFile(registry.config);
        Credentials.save(file, host, cred);
        System.err.println("bee: logged in to " + host + " (credentials saved in " + file + ")");
        return 0;
    }

    /**
     * The password {@code --password-stdin} reads: the first line of {@code in} without its line end ({@code \n}
     * or {@code \r\n}), every other character kept (spaces, a carriage return inside); null when {@code in} is
     * empty. Read byte by byte up to the newline: a line reader would also end the line at a lone {@code \r}.
     */
    static String readPassword(InputStream in) {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            if (b == -1 && line.size() == 0) {
                return null;
            }
            byte[] bytes = line.toByteArray();
            int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
            return new String(bytes, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String prompt(String text, boolean secret) {
        java.io.Console c = System.console();
        if (c == null) {
            throw new BeeException(ErrorKind.USAGE, "no terminal to ask for the " + (secret ? "password" : "user name"),
                    "pass -u USER and --password-stdin");
        }
        if (secret) {
            char[] p = c.readPassword(text);
            return p == null ? null : new String(p);
        }
        return c.readLine(text);
    }
}
