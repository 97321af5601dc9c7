package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.image.Credentials;
import dev.bee.core.image.RegistryOptions;
import picocli.CommandLine.Option;

/** BumbleBee's {@code -u/-p} on push and pull: credentials for this command only, saved nowhere. */
final class CredentialsOption {
    @Option(names = {"-u", "--username"}, paramLabel = "USER",
            description = "Registry user for this command only (with -p; nothing is saved: see bee login).")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASSWORD",
            description = "Password for -u (visible in the process list: prefer bee login --password-stdin).")
    String password;

    /** {@code base} with these credentials, if given. */
    RegistryOptions apply(RegistryOptions base) {
        if ((username == null) != (password == null)) {
            throw new BeeException(ErrorKind.USAGE, "-u/--username and -p/--password go together",
                    "give both, or log in once with bee login SERVER");
        }
        return username == null ? base : base.withLogin(new Credentials.Credential(username, password));
    }
}
