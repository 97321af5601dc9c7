package dev.bee.cli;

import dev.bee.core.image.Digests;
import dev.bee.core.image.ImageRef;
import dev.bee.core.image.RegistryOptions;
import dev.bee.core.image.TransferProgress;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.image.trust.ImageSigner;
import dev.bee.core.image.trust.KeyFiles;
import dev.bee.core.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bee sign REF --key KEY}: sign an image in its registry as {@code cosign sign --key} does. */
@Command(name = "sign", header = "Sign an image in its registry (cosign's key-based format).",
        description = {"Sign the manifest digest REF names in its registry with an ECDSA P-256 key, as 'cosign",
                "sign --key' does: the signature goes under the tag sha256-<hex>.sig in the same repository,",
                "beside the signatures already there. 'cosign verify --key' and 'bee pull --verify-key'",
                "accept it. An encrypted key's passphrase comes from " + KeyFiles.PASSWORD_ENV + "."})
final class SignCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @Mixin
    RegistryOption registry;

    @Mixin
    CredentialsOption credentials;

    @Mixin
    FormatOption format;

    @Parameters(index = "0", paramLabel = "REF", description = "The image in its registry: NAME:TAG or NAME@sha256:DIGEST.")
    String ref;

    @Option(names = "--key", paramLabel = "KEY", required = true,
            description = "The private key (PEM PKCS#8, as 'bee key generate' writes it).")
    Path key;

    @Override
    public Integer call() {
        ECPrivateKey k = KeyFiles.readPrivate(key, KeyFiles::passwordFromEnvironment);
        ImageRef target = ImageRef.parse(ref);
        RegistryOptions options = credentials.apply(registry.options());
        RegistryClient client = new RegistryClient(options, TransferProgress.NONE);
        // The digest the registry holds now (checked against REF's digest when it has one): that is what is signed.
        String digest = client.manifest(target).digest();
        print(new ImageSigner(client).sign(target, digest, k), key, format);
        return 0;
    }

    /** What sign and push --sign print: a line for people on stderr, the digest signed on stdout (or JSON). */
    static void print(ImageSigner.Signed s, Path key, FormatOption format) {
        if (format != null && format.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("image", s.image());
            out.put("digest", s.digest());
            out.put("key", key.toString());
            out.put("signatureTag", s.signatureTag());
            out.put("signatureManifest", s.signatureDigest());
            out.put("signatures", s.signatures());
            System.out.println(Json.pretty(out));
            return;
        }
        System.err.println("bee: signed " + s.image().replace(s.digest(), Digests.shortForm(s.digest())) + " with " + key
                + " (" + s.signatures() + (s.signatures() == 1 ? " signature" : " signatures") + " under :"
                + s.signatureTag() + ")");
        System.out.println(s.digest());
    }
}
