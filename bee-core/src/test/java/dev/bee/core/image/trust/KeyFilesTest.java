package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key files: bee's pairs against openssl (an independent reader and writer), and every refusal with its fix. */
class KeyFilesTest {
    @TempDir
    Path tmp;

    private String openssl(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(args)).redirectErrorStream(true).directory(tmp.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void generatedPairIsReadByOpensslAndSignsWhatItsPublicKeyVerifies() throws Exception {
        String prefix = tmp.resolve("k").toString();
        KeyPairFiles.Written w = KeyPairFiles.generate(prefix, "s3cret pass".toCharArray());
        assertTrue(w.encrypted());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(w.privateKey())));
        assertTrue(Files.readString(w.privateKey()).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
        assertTrue(Files.readString(w.publicKey()).startsWith("-----BEGIN PUBLIC KEY-----\n"));
        // openssl decrypts bee's PBES2 key with the passphrase and derives the same public key.
        String pub = openssl(Map.of("PW", "s3cret pass"), "openssl", "pkey", "-in", w.privateKey().toString(),
                "-passin", "env:PW", "-pubout");
        assertEquals(Files.readString(w.publicKey()), pub);

        ECPrivateKey key = KeyFiles.readPrivate(w.privateKey(), () -> "s3cret pass".toCharArray());
        TrustKey trust = KeyFiles.readPublic(w.publicKey());
        byte[] data = "payload".getBytes();
        assertTrue(P256.verify(trust.key(), data, P256.sign(key, data)));
        assertFalse(P256.verify(trust.key(), "other".getBytes(), P256.sign(key, data)));
        assertEquals(w.fingerprint(), trust.fingerprint());
    }

    @Test
    void readsOpensslKeysPlainAndEncrypted() throws Exception {
        openssl(Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem");
        openssl(Map.of("PW", "pw"), "openssl", "pkcs8", "-topk8", "-in", "plain.pem", "-out", "enc.pem", "-passout",
                "env:PW", "-v2", "aes-256-cbc");
        openssl(Map.of(), "openssl", "pkey", "-in", "plain.pem", "-pubout", "-out", "pub.pem");
        ECPrivateKey plain = KeyFiles.readPrivate(tmp.resolve("plain.pem"), () -> null);
        ECPrivateKey enc = KeyFiles.readPrivate(tmp.resolve("enc.pem"), () -> "pw".toCharArray());
        assertEquals(plain.getS(), enc.getS());
        TrustKey pub = KeyFiles.readPublic(tmp.resolve("pub.pem"));
        assertTrue(P256.verify(pub.key(), new byte[]{1}, P256.sign(enc, new byte[]{1})));
    }

    @Test
    void refusalsSayWhatToDoAndNeverQuoteTheKeyOrPassphrase() throws Exception {
        String prefix = tmp.resolve("k").toString();
        KeyPairFiles.generate(prefix, "right-passphrase".toCharArray());
        Path key = Path.of(prefix + ".key");
        String body = Files.readString(key).lines().skip(1).findFirst().orElseThrow();

        BeeException noPass = assertThrows(BeeException.class, () -> KeyFiles.readPrivate(key, () -> null));
        assertTrue(noPass.getMessage().contains("BEE_KEY_PASSWORD is not set"), noPass.getMessage());
        BeeException wrong = assertThrows(BeeException.class,
                () -> KeyFiles.readPrivate(key, () -> "wrong-passphrase".toCharArray()));
        assertTrue(wrong.getMessage().contains("wrong passphrase"), wrong.getMessage());
        for (BeeException e : List.of(noPass, wrong)) {
            String all = e.getMessage() + e.hint();
            assertFalse(all.contains("passphrase-") || all.contains(body.substring(0, 20)), all);
        }

        Path cosign = tmp.resolve("cosign.key");
        Files.writeString(cosign, "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\neyJrZGYiOnt9fQ==\n"
                + "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
        BeeException c = assertThrows(BeeException.class, () -> KeyFiles.readPrivate(cosign, () -> null));
        assertTrue(c.getMessage().contains("cosign's own encrypted format"), c.getMessage());
        assertTrue(c.hint().contains("cosign import-key-pair"), c.hint());

        openssl(Map.of(), "openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "sec1.pem");
        BeeException sec1 = assertThrows(BeeException.class, () -> KeyFiles.readPrivate(tmp.resolve("sec1.pem"), () -> null));
        assertTrue(sec1.hint().contains("openssl pkcs8 -topk8"), sec1.hint());

        openssl(Map.of(), "openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "p384.pem");
        BeeException p384 = assertThrows(BeeException.class, () -> KeyFiles.readPrivate(tmp.resolve("p384.pem"), () -> null));
        assertTrue(p384.getMessage().contains("another curve than P-256"), p384.getMessage());

        BeeException pubAsKey = assertThrows(BeeException.class, () -> KeyFiles.readPrivate(Path.of(prefix + ".pub"), () -> null));
        assertTrue(pubAsKey.getMessage().contains("is a public key"), pubAsKey.getMessage());
        BeeException keyAsPub = assertThrows(BeeException.class, () -> KeyFiles.readPublic(key));
        assertTrue(keyAsPub.getMessage().contains("is a private key"), keyAsPub.getMessage());
        BeeException missing = assertThrows(BeeException.class, () -> KeyFiles.readPublic(tmp.resolve("none.pub")));
        assertEquals(ErrorKind.NOT_FOUND, missing.kind());
    }

    @Test
    void generateNeverReplacesAKey() {
        String prefix = tmp.resolve("k").toString();
        KeyPairFiles.Written w = KeyPairFiles.generate(prefix, null);
        assertFalse(w.encrypted());
        byte[] before = assertDoesNotThrowRead(w.privateKey());
        BeeException e = assertThrows(BeeException.class, () -> KeyPairFiles.generate(prefix, null));
        assertTrue(e.getMessage().contains("exists"), e.getMessage());
        assertArrayEquals(before, assertDoesNotThrowRead(w.privateKey()));
    }

    private static byte[] assertDoesNotThrowRead(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
