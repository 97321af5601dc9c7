package dev.bee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bee.core.io.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cosign's key-based signatures written from its published specification (sigstore/cosign
 * specs/SIGNATURE_SPEC.md: tag-based discovery, the OCI image manifest object type, simple signing payloads,
 * ECDSA-P256 over the payload's SHA-256) with the JDK's crypto and HTTP client and Jackson: nothing of bee's
 * signing code, so bee's signatures are checked by another implementation and bee checks another's.
 */
final class CosignSpec {
    static final String PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String SIGNATURE = "dev.cosignproject.cosign/signature";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private CosignSpec() {
    }

    /** "Replace the : character with a -, append the .sig suffix". */
    static String tag(String digest) {
        return digest.replace(':', '-') + ".sig";
    }

    static byte[] payload(String dockerReference, String digest) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", digest);
        critical.put("type", "cosign container image signature");
        root.putNull("optional");
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    static String sign(PrivateKey key, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(payload);
        return Base64.getEncoder().encodeToString(s.sign());
    }

    static boolean verifies(PublicKey key, byte[] payload, String base64) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(key);
        s.update(payload);
        return s.verify(Base64.getDecoder().decode(base64));
    }

    static PublicKey publicKey(String pem) throws Exception {
        String b64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    static String sha256(byte[] data) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    /** A GET against the registry's API; the body, or null for 404. */
    static byte[] get(String host, String path, String accept) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + path))
                .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return null;
        }
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    static byte[] signatureManifest(String host, String repo, String digest) throws Exception {
        return get(host, "/v2/" + repo + "/manifests/" + tag(digest), "application/vnd.oci.image.manifest.v1+json");
    }

    /**
     * Checks, as a verifier written from the spec would, that {@code key} signed {@code digest} in {@code repo}:
     * returns how many signature layers there are; fails the test when none verifies.
     */
    static int verify(String host, String repo, String digest, PublicKey key) throws Exception {
        byte[] raw = signatureManifest(host, repo, digest);
        assertTrue(raw != null, "no " + tag(digest) + " in " + repo);
        JsonNode m = Json.mapper().readTree(raw);
        assertEquals(2, m.get("schemaVersion").asInt());
        assertEquals("application/vnd.oci.image.manifest.v1+json", m.get("mediaType").asText());
        assertEquals("application/vnd.oci.image.config.v1+json", m.get("config").get("mediaType").asText());
        int verified = 0;
        for (JsonNode layer : m.get("layers")) {
            assertEquals(PAYLOAD_TYPE, layer.get("mediaType").asText());
            byte[] payload = get(host, "/v2/" + repo + "/blobs/" + layer.get("digest").asText(), "*/*");
            assertEquals(layer.get("digest").asText(), sha256(payload));
            assertEquals(layer.get("size").asLong(), payload.length);
            if (!verifies(key, payload, layer.get("annotations").get(SIGNATURE).asText())) {
                continue;
            }
            JsonNode critical = Json.mapper().readTree(payload).get("critical");
            assertEquals("cosign container image signature", critical.get("type").asText());
            assertEquals(digest, critical.get("image").get("docker-manifest-digest").asText());
            assertEquals(host + "/" + repo, critical.get("identity").get("docker-reference").asText());
            verified++;
        }
        assertTrue(verified > 0, "no layer of " + tag(digest) + " verifies with the key");
        return m.get("layers").size();
    }

    /** Stores one signature as cosign does: the payload blob, a config, and a manifest under the .sig tag. */
    static String attach(RawRegistry raw, String repo, String digest, byte[] payload, String signature) throws Exception {
        String payloadDigest = raw.blob(repo, payload);
        ObjectNode config = Json.mapper().createObjectNode();
        config.put("architecture", "").put("os", "");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(payloadDigest);
        config.putObject("config");
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        String configDigest = raw.blob(repo, configBytes);
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        m.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("size", configBytes.length).put("digest", configDigest);
        ObjectNode layer = m.putArray("layers").addObject();
        layer.put("mediaType", PAYLOAD_TYPE).put("size", payload.length).put("digest", payloadDigest);
        layer.putObject("annotations").put(SIGNATURE, signature);
        return raw.manifest(repo, tag(digest), "application/vnd.oci.image.manifest.v1+json",
                m.toString().getBytes(StandardCharsets.UTF_8));
    }
}
