package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bee.core.io.Json;
import dev.bee.core.testing.Examples;
import dev.bee.core.testing.RegistryServer;
import dev.bee.core.testing.Requirements;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Signing against a real registry (Debian's docker-registry): bee's signatures checked by {@link CosignSpec}, an
 * implementation of cosign's published format in the test; signatures made as cosign makes them accepted by bee;
 * every kind of tampering refused with exit code 11 and nothing stored; skopeo reading the signature manifest;
 * the policy; and no signature, private key or passphrase in any output.
 */
class SigningIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static RegistryServer registry;
    private static Path work;
    private static Path built;
    private static final String SOURCE = "probes/opensnoop:src";

    @TempDir
    Path tmp;

    @BeforeAll
    static void buildOnce() throws Exception {
        Requirements.requireTool("clang");
        Requirements.requireTool("skopeo");
        Requirements.requireKernelBtf();
        registry = RegistryServer.start();
        work = Files.createTempDirectory("bee-signing-it-");
        built = work.resolve("built");
        CliRun b = CliRun.of("build", Examples.source("opensnoop").toString(), SOURCE, "--output-file",
                work.resolve("o.o").toString(), "--storage", built.toString());
        assertEquals(0, b.exitCode(), b.err());
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static CliRun bee(Path store, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--storage", store.toString()));
        return CliRun.of(all.toArray(String[]::new));
    }

    /** The built image pushed as {@code registry/repo:v1}; its digest. */
    private static String push(String repo) {
        String ref = registry.host() + "/" + repo + ":v1";
        assertEquals(0, bee(built, "tag", SOURCE, ref).exitCode());
        CliRun p = bee(built, "push", ref);
        assertEquals(0, p.exitCode(), p.err());
        return p.out().trim();
    }

    private Path keyPair(String name) {
        String prefix = tmp.resolve(name).toString();
        CliRun g = CliRun.of("key", "generate", "--output", prefix);
        assertEquals(0, g.exitCode(), g.err());
        return tmp.resolve(name);
    }

    private static Path key(Path prefix) {
        return Path.of(prefix + ".key");
    }

    private static Path pub(Path prefix) {
        return Path.of(prefix + ".pub");
    }

    private static String ref(String repo) {
        return registry.host() + "/" + repo + ":v1";
    }

    /** A pull into a fresh store that must be refused with 10, one line and a hint; the store stays empty. */
    private void refused(String repo, String reason, String... flags) throws Exception {
        Path store = tmp.resolve("refused-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("pull", ref(repo)));
        args.addAll(List.of(flags));
        CliRun r = bee(store, args.toArray(String[]::new));
        assertEquals(11, r.exitCode(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("bee: error: refused " + registry.host() + "/" + repo + "@sha256:"), r.err());
        assertTrue(lines.get(0).contains(reason), r.err());
        assertTrue(lines.get(0).endsWith("; nothing was loaded or stored"), r.err());
        assertTrue(lines.get(1).startsWith("hint: "), r.err());
        assertFalse(Files.exists(store.resolve("index.json")), "nothing was stored");
        assertEquals(Map.of(), RawRegistry.snapshot(store.resolve("blobs")), "no blob was stored");
    }

    @Test
    void beeSignsWhatTheSpecVerifiesKeepsEverySignatureAndSkopeoShowsIt() throws Exception {
        String digest = push("signed/by-bee");
        Path a = keyPair("a");
        Path b = keyPair("b");
        CliRun sign = bee(built, "sign", ref("signed/by-bee"), "--key", key(a).toString());
        assertEquals(0, sign.exitCode(), sign.err());
        assertEquals(digest, sign.out().trim());
        assertTrue(sign.err().contains("1 signature under :" + CosignSpec.tag(digest)), sign.err());
        assertEquals(1, CosignSpec.verify(registry.host(), "signed/by-bee", digest,
                CosignSpec.publicKey(Files.readString(pub(a)))));
        byte[] first = CosignSpec.signatureManifest(registry.host(), "signed/by-bee", digest);

        CliRun again = bee(built, "sign", ref("signed/by-bee"), "--key", key(b).toString(), "-o", "json");
        assertEquals(0, again.exitCode(), again.err());
        JsonNode out = Json.mapper().readTree(again.out());
        assertEquals(2, out.get("signatures").asInt());
        assertEquals(digest, out.get("digest").asText());
        // Both signatures are there, the first one's layer as it was.
        assertEquals(2, CosignSpec.verify(registry.host(), "signed/by-bee", digest,
                CosignSpec.publicKey(Files.readString(pub(b)))));
        CosignSpec.verify(registry.host(), "signed/by-bee", digest, CosignSpec.publicKey(Files.readString(pub(a))));
        JsonNode before = Json.mapper().readTree(first).get("layers").get(0);
        JsonNode after = Json.mapper().readTree(CosignSpec.signatureManifest(registry.host(), "signed/by-bee", digest));
        assertEquals(before, after.get("layers").get(0));

        // skopeo, another client, sees the manifest as cosign stores it.
        String raw = RegistryServer.exec(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                "docker://" + registry.host() + "/signed/by-bee:" + CosignSpec.tag(digest)));
        JsonNode m = Json.mapper().readTree(raw);
        assertEquals(after, m);
        assertEquals("application/vnd.oci.image.manifest.v1+json", m.get("mediaType").asText());
        for (JsonNode layer : m.get("layers")) {
            assertEquals(CosignSpec.PAYLOAD_TYPE, layer.get("mediaType").asText());
            assertTrue(layer.get("annotations").has(CosignSpec.SIGNATURE), layer.toString());
        }

        // bee accepts either key; the digest is what it pulled.
        for (Path k : List.of(a, b)) {
            Path store = tmp.resolve("ok-" + k.getFileName());
            CliRun pull = bee(store, "pull", ref("signed/by-bee"), "--verify-key", pub(k).toString());
            assertEquals(0, pull.exitCode(), pull.err());
            assertEquals(digest, pull.out().trim());
        }
    }

    @Test
    void beeAcceptsWhatCosignSignsAndRefusesEveryTampering() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair cosign = g.generateKeyPair();
        Path cosignPub = tmp.resolve("cosign.pub");
        Files.writeString(cosignPub, CosignSpec.pem(cosign.getPublic()));
        Path other = keyPair("other");
        RawRegistry raw = new RawRegistry(registry.host());

        // Signed as cosign signs: bee accepts it (any one of several keys will do).
        String digest = push("cosign/good");
        byte[] payload = CosignSpec.payload(registry.host() + "/cosign/good", digest);
        CosignSpec.attach(raw, "cosign/good", digest, payload, CosignSpec.sign(cosign.getPrivate(), payload));
        CliRun ok = bee(tmp.resolve("good"), "pull", ref("cosign/good"), "--verify-key", pub(other).toString(),
                "--verify-key", cosignPub.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals(digest, ok.out().trim());

        // Missing.
        push("cosign/unsigned");
        refused("cosign/unsigned", "it is not signed", "--verify-key", cosignPub.toString());
        // Another key.
        refused("cosign/good", "none of its 1 signature is by " + pub(other), "--verify-key", pub(other).toString());

        // The payload changed (it names another digest), the signature kept.
        String d2 = push("cosign/payload");
        byte[] p2 = CosignSpec.payload(registry.host() + "/cosign/payload", d2);
        String s2 = CosignSpec.sign(cosign.getPrivate(), p2);
        byte[] forged = new String(p2, StandardCharsets.UTF_8).replace("cosign container image signature",
                "cosign container image signature ").getBytes(StandardCharsets.UTF_8);
        CosignSpec.attach(raw, "cosign/payload", d2, forged, s2);
        refused("cosign/payload", "none of its 1 signature is by", "--verify-key", cosignPub.toString());

        // The signature changed.
        String d3 = push("cosign/signature");
        byte[] p3 = CosignSpec.payload(registry.host() + "/cosign/signature", d3);
        byte[] sig = Base64.getDecoder().decode(CosignSpec.sign(cosign.getPrivate(), p3));
        sig[sig.length - 1] ^= 1;
        CosignSpec.attach(raw, "cosign/signature", d3, p3, Base64.getEncoder().encodeToString(sig));
        refused("cosign/signature", "none of its 1 signature is by", "--verify-key", cosignPub.toString());

        // A good signature of another image (another digest) put under this one's tag.
        String d4 = push("cosign/digest");
        String otherDigest = "sha256:" + "1".repeat(64);
        byte[] p4 = CosignSpec.payload(registry.host() + "/cosign/digest", otherDigest);
        CosignSpec.attach(raw, "cosign/digest", d4, p4, CosignSpec.sign(cosign.getPrivate(), p4));
        refused("cosign/digest", "its signature by " + cosignPub + " is for another image (111111111111), not",
                "--verify-key", cosignPub.toString());

        // A good signature of this digest, made for another repository.
        String d5 = push("cosign/repository");
        byte[] p5 = CosignSpec.payload(registry.host() + "/cosign/good", d5);
        CosignSpec.attach(raw, "cosign/repository", d5, p5, CosignSpec.sign(cosign.getPrivate(), p5));
        refused("cosign/repository", "is for another repository (" + registry.host() + "/cosign/good)",
                "--verify-key", cosignPub.toString());

        // The payload's bytes changed in the registry's storage behind its digest.
        String d6 = push("cosign/storage");
        byte[] p6 = CosignSpec.payload(registry.host() + "/cosign/storage", d6);
        CosignSpec.attach(raw, "cosign/storage", d6, p6, CosignSpec.sign(cosign.getPrivate(), p6));
        Path blob = registry.blobFile(CosignSpec.sha256(p6));
        byte[] swapped = CosignSpec.payload(registry.host() + "/cosign/storage", "sha256:" + "2".repeat(64));
        Files.write(blob, swapped);
        refused("cosign/storage", "a signature payload does not match its digest", "--verify-key", cosignPub.toString());
    }

    @Test
    void pushSignSignsTheDigestPushedAndStoredImagesAreCheckedBeforeUse() throws Exception {
        Path k = keyPair("push");
        Path other = keyPair("stranger");
        String ref = ref("pushed/signed");
        assertEquals(0, bee(built, "tag", SOURCE, ref).exitCode());
        CliRun p = bee(built, "push", ref, "--sign", key(k).toString());
        assertEquals(0, p.exitCode(), p.err());
        String digest = p.out().trim();
        CosignSpec.verify(registry.host(), "pushed/signed", digest, CosignSpec.publicKey(Files.readString(pub(k))));

        // Stored already (pulled without a key): describe checks the stored digest before it reads the image.
        Path store = tmp.resolve("plain");
        assertEquals(0, bee(store, "pull", ref).exitCode());
        CliRun good = bee(store, "describe", ref, "--verify-key", pub(k).toString(), "-o", "json");
        assertEquals(0, good.exitCode(), good.err());
        assertEquals(digest, Json.mapper().readTree(good.out()).get("digest").asText());
        assertEquals("signed by " + pub(k), Json.mapper().readTree(good.out()).get("signed").asText(),
                "describe says which of the given keys signed it");
        CliRun unchecked = bee(store, "describe", ref);
        assertTrue(unchecked.out().contains("signed:    not checked (give --verify-key KEY or a policy)"), unchecked.out());
        CliRun bad = bee(store, "describe", ref, "--verify-key", pub(other).toString());
        assertEquals(11, bad.exitCode(), bad.err());
        assertEquals("", bad.out(), "nothing was described");
        assertTrue(bad.err().startsWith("bee: error: refused " + registry.host() + "/pushed/signed@" + digest
                + ": none of its 1 signature is by " + pub(other)), bad.err());
        if (Requirements.isRoot()) {
            // The kernel verifier loads nothing when the key does not match.
            CliRun verify = bee(store, "verify", ref, "--verify-key", pub(other).toString());
            assertEquals(11, verify.exitCode(), verify.err());
            CliRun verified = bee(store, "verify", ref, "--verify-key", pub(k).toString());
            assertEquals(0, verified.exitCode(), verified.err());
        }
    }

    @Test
    void thePolicyDecidesByTheMostSpecificScopeAndSaysWhy() throws Exception {
        Path k = keyPair("team");
        String signedDigest = push("team/tools/signed");
        assertEquals(0, bee(built, "sign", ref("team/tools/signed"), "--key", key(k).toString()).exitCode());
        push("team/tools/unsigned");
        push("lab/anything");
        Files.copy(pub(k), tmp.resolve("team.pub"));
        Path policy = tmp.resolve("policy.json");
        Files.writeString(policy, """
                {"default": {"type": "reject"},
                 "scopes": {
                   "%1$s": {"type": "reject"},
                   "%1$s/team": {"type": "signedBy", "keyPaths": ["team.pub"]},
                   "%1$s/lab": {"type": "any"}}}""".formatted(registry.host()));

        CliRun check = bee(built, "policy", "check", ref("team/tools/signed"), "--policy", policy.toString(), "-o", "json");
        assertEquals(0, check.exitCode(), check.err());
        JsonNode v = Json.mapper().readTree(check.out());
        assertTrue(v.get("allowed").asBoolean());
        assertEquals(registry.host() + "/team", v.get("scope").asText());
        assertEquals("signedBy", v.get("rule").asText());
        assertEquals(signedDigest, v.get("digest").asText());
        assertEquals(List.of(tmp.resolve("team.pub").toString()), List.of(v.get("verifiedBy").get(0).asText()));

        CliRun unsigned = bee(built, "policy", "check", ref("team/tools/unsigned"), "--policy", policy.toString());
        assertEquals(11, unsigned.exitCode(), unsigned.err());
        assertTrue(unsigned.out().contains(": refused"), unsigned.out());
        assertTrue(unsigned.out().contains("it is not signed"), unsigned.out());
        assertTrue(unsigned.out().contains("scope " + registry.host() + "/team (signedBy)"), unsigned.out());

        CliRun lab = bee(built, "policy", "check", ref("lab/anything"), "--policy", policy.toString(), "-o", "json");
        assertEquals(0, lab.exitCode(), lab.err());
        assertEquals("any", Json.mapper().readTree(lab.out()).get("rule").asText());

        push("elsewhere/x");
        refused("elsewhere/x", "the policy scope " + registry.host() + " rejects", "--policy", policy.toString());
        refused("team/tools/unsigned", "it is not signed", "--policy", policy.toString());
        CliRun pulled = bee(tmp.resolve("policy-ok"), "pull", ref("team/tools/signed"), "--policy", policy.toString());
        assertEquals(0, pulled.exitCode(), pulled.err());

        // policy.json in bee's folder is the default; a local object file is outside the policy.
        Path home = tmp.resolve("home");
        Files.createDirectories(home);
        Files.copy(policy, home.resolve("policy.json"));
        Files.copy(tmp.resolve("team.pub"), home.resolve("team.pub"));
        try {
            CliRun byDefault = bee(tmp.resolve("default"), "pull", ref("lab/anything"), "--config-dir", home.toString());
            assertEquals(0, byDefault.exitCode(), byDefault.err());
            CliRun refusedByDefault = bee(tmp.resolve("default"), "pull", ref("elsewhere/x"), "--config-dir",
                    home.toString());
            assertEquals(11, refusedByDefault.exitCode(), refusedByDefault.err());
        } finally {
            System.clearProperty(dev.bee.core.BeeHome.PROPERTY); // --config-dir sets it in this JVM
        }
        CliRun file = CliRun.of("describe", work.resolve("o.o").toString(), "--policy", policy.toString());
        assertEquals(0, file.exitCode(), file.err());
    }

    @Test
    void noSignaturePrivateKeyOrPassphraseInAnyOutput() throws Exception {
        String passphrase = "correct horse battery staple";
        Map<String, String> env = Map.of("BEE_KEY_PASSWORD", passphrase, "BEE_HOME", tmp.resolve("home").toString());
        String prefix = tmp.resolve("secret").toString();
        BeeProcess gen = BeeProcess.start(env, "key", "generate", "--output", prefix, "-v");
        gen.waitFor(TIMEOUT);
        assertEquals(0, gen.exitCode(), gen.err());
        String keyPem = Files.readString(Path.of(prefix + ".key"));
        assertTrue(keyPem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), keyPem);
        String digest = push("secret/image");

        List<BeeProcess> runs = new ArrayList<>();
        runs.add(BeeProcess.start(env, "sign", ref("secret/image"), "--key", prefix + ".key", "-v",
                "--storage", tmp.resolve("s").toString()));
        runs.get(0).waitFor(TIMEOUT);
        assertEquals(0, runs.get(0).exitCode(), runs.get(0).err());
        Path stranger = keyPair("stranger");
        runs.add(BeeProcess.start(env, "pull", ref("secret/image"), "--verify-key", pub(stranger).toString(), "-v",
                "--storage", tmp.resolve("s").toString()));
        runs.add(BeeProcess.start(Map.of("BEE_KEY_PASSWORD", "wrong " + passphrase), "sign", ref("secret/image"),
                "--key", prefix + ".key", "-v"));
        for (BeeProcess r : runs) {
            r.waitFor(TIMEOUT);
        }
        assertEquals(11, runs.get(1).exitCode(), runs.get(1).err());
        assertEquals(2, runs.get(2).exitCode(), runs.get(2).err());
        assertTrue(runs.get(2).err().contains("wrong passphrase"), runs.get(2).err());

        JsonNode sigManifest = Json.mapper().readTree(CosignSpec.signatureManifest(registry.host(), "secret/image", digest));
        String signature = sigManifest.get("layers").get(0).get("annotations").get(CosignSpec.SIGNATURE).asText();
        List<String> secrets = new ArrayList<>(List.of(passphrase, "battery", signature, signature.substring(0, 16)));
        keyPem.lines().filter(l -> !l.startsWith("-----")).forEach(l -> secrets.add(l.substring(0, Math.min(24, l.length()))));
        List<BeeProcess> all = new ArrayList<>(runs);
        all.add(gen);
        for (BeeProcess r : all) {
            String text = r.out() + r.err();
            assertTrue(r.err().contains("DEBUG") || r.exitCode() != 0 || r == gen, "-v was on: " + r.err());
            for (String s : secrets) {
                assertFalse(text.contains(s), "output shows secret material: " + text);
            }
        }
        assertArrayEquals(keyPem.getBytes(StandardCharsets.US_ASCII), Files.readAllBytes(Path.of(prefix + ".key")));
    }
}
