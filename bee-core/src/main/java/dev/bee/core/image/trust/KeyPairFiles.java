package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Makes a signing key pair as {@code cosign generate-key-pair} does, in formats both tools read: {@code PREFIX.key}
 * (mode 0600), the private key as PKCS#8 PEM, encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC) when a
 * passphrase is given; and {@code PREFIX.pub}, the PKIX public key ({@code cosign.pub}'s format).
 */
public final class KeyPairFiles {
    /**
     * PBKDF2 rounds: a hundred times openssl's default (2048); the JDK's PBKDF2 takes about a second for them on a
     * small machine, paid at every signature with the key (OWASP's 600,000 took several).
     */
    private static final int ITERATIONS = 200_000;
    private static final String PBE = "PBEWithHmacSHA256AndAES_256";
    /** id-PBES2 (1.2.840.113549.1.5.13), DER-encoded. */
    private static final byte[] PBES2_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01,
            0x05, 0x0d};

    private KeyPairFiles() {
    }

    /** The files written. */
    public record Written(Path privateKey, Path publicKey, boolean encrypted, String fingerprint) {
    }

    /** Writes {@code prefix.key} and {@code prefix.pub}; refuses to replace either. The passphrase is cleared. */
    public static Written generate(String prefix, char[] passphrase) {
        Path key = Path.of(prefix + ".key");
        Path pub = Path.of(prefix + ".pub");
        for (Path p : new Path[]{key, pub}) {
            if (Files.exists(p)) {
                throw new BeeException(ErrorKind.USAGE, p + " exists; bee does not replace keys",
                        "move it away, or give another --output PREFIX");
            }
        }
        KeyPair pair = P256.generate();
        byte[] pkcs8 = pair.getPrivate().getEncoded();
        try {
            byte[] pem = passphrase == null ? Pem.write("PRIVATE KEY", pkcs8)
                    : Pem.write("ENCRYPTED PRIVATE KEY", encrypt(pkcs8, passphrase));
            writePrivate(key, pem);
            AtomicFiles.write(pub, Pem.write("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.setPosixFilePermissions(pub, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot write the key pair " + prefix + ".{key,pub}: "
                    + e.getClass().getSimpleName(), "check that the folder exists and is writable");
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
        return new Written(key, pub, passphrase != null,
                new TrustKey(pub.toString(), (java.security.interfaces.ECPublicKey) pair.getPublic()).fingerprint());
    }

    /** Created 0600 before any byte is written (a temp file is), then moved into place. */
    private static void writePrivate(Path key, byte[] pem) throws IOException {
        Path tmp = AtomicFiles.tempFor(key);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            Files.write(tmp, pem);
            AtomicFiles.commit(tmp, key);
        } finally {
            Files.deleteIfExists(tmp);
            Arrays.fill(pem, (byte) 0);
        }
    }

    /** EncryptedPrivateKeyInfo (RFC 5958) with PBES2; written by hand since JDK 17 cannot name PBES2 itself. */
    static byte[] encrypt(byte[] pkcs8, char[] passphrase) {
        try {
            SecureRandom random = new SecureRandom();
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            random.nextBytes(salt);
            random.nextBytes(iv);
            PBEKeySpec spec = new PBEKeySpec(passphrase);
            Cipher c = Cipher.getInstance(PBE);
            c.init(Cipher.ENCRYPT_MODE, SecretKeyFactory.getInstance(PBE).generateSecret(spec),
                    new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv)));
            spec.clearPassword();
            byte[] encrypted = c.doFinal(pkcs8);
            byte[] algorithm = der(0x30, concat(PBES2_OID, c.getParameters().getEncoded()));
            return der(0x30, concat(algorithm, der(0x04, encrypted)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("this Java runtime cannot encrypt keys with " + PBE, e);
        }
    }

    private static byte[] der(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
