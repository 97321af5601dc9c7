package dev.bee.core.image.trust;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Reads the key files signing uses: a PKIX public key ({@code PUBLIC KEY}, what {@code cosign.pub} holds) and
 * an EC private key as PKCS#8, plain ({@code PRIVATE KEY}) or encrypted with a passphrase ({@code ENCRYPTED
 * PRIVATE KEY}, PBES2, as {@code openssl pkcs8 -topk8} and {@code bee key generate} write it). Only ECDSA
 * P-256, cosign's default scheme. Messages name the file, never its content or the passphrase.
 */
public final class KeyFiles {
    /** The environment variable that holds the passphrase of an encrypted private key. */
    public static final String PASSWORD_ENV = "BEE_KEY_PASSWORD";
    /** Key files are a few hundred bytes; nothing longer is read. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final String CONVERT_HINT = "bee reads PKCS#8 keys (PEM 'PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY'); make"
            + " a pair with 'bee key generate' and give cosign the same key with 'cosign import-key-pair --key bee.key'"
            + " (docs/signing.md)";

    private KeyFiles() {
    }

    /** The passphrase from {@link #PASSWORD_ENV}, or null when it is not set. */
    public static char[] passwordFromEnvironment() {
        String p = System.getenv(PASSWORD_ENV);
        return p == null || p.isEmpty() ? null : p.toCharArray();
    }

    public static TrustKey readPublic(Path file) {
        String name = file.toString();
        List<Pem.Block> blocks = Pem.read(text(file));
        for (Pem.Block b : blocks) {
            if (b.label().equals("PUBLIC KEY")) {
                if (b.der() == null) {
                    throw malformed(name, "its PUBLIC KEY block is not base64");
                }
                try {
                    Key k = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(b.der()));
                    return new TrustKey(name, (ECPublicKey) requireP256(k, name));
                } catch (GeneralSecurityException | ClassCastException e) {
                    throw notEc(name);
                }
            }
        }
        if (blocks.stream().anyMatch(b -> b.label().contains("PRIVATE KEY"))) {
            throw new BeeException(ErrorKind.USAGE, name + " is a private key; signatures are checked with the public key",
                    "give the .pub file (bee key generate writes PREFIX.pub beside PREFIX.key)");
        }
        if (blocks.stream().anyMatch(b -> b.label().equals("CERTIFICATE"))) {
            throw new BeeException(ErrorKind.USAGE, name + " is a certificate; bee checks key-based signatures only",
                    "give the PEM public key (cosign.pub); keyless (certificate) signatures are not supported");
        }
        throw malformed(name, "it holds no PEM 'PUBLIC KEY' block");
    }

    /**
     * The private key in {@code file}; an encrypted one is opened with the passphrase {@code password} gives
     * (null: none set). The passphrase array is cleared after use.
     */
    public static ECPrivateKey readPrivate(Path file, Supplier<char[]> password) {
        String name = file.toString();
        List<Pem.Block> blocks = Pem.read(text(file));
        for (Pem.Block b : blocks) {
            switch (b.label()) {
                case "PRIVATE KEY" -> {
                    return pkcs8(b, name);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return encrypted(b, name, password);
                }
                case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> throw new BeeException(
                        ErrorKind.USAGE, name + " is in cosign's own encrypted format (scrypt and secretbox), which bee"
                        + " does not read", CONVERT_HINT + "; its public key (cosign.pub) works with --verify-key as it is");
                case "EC PRIVATE KEY" -> throw new BeeException(ErrorKind.USAGE, name + " is a SEC1 'EC PRIVATE KEY'"
                        + (b.hasHeaders() ? " with legacy OpenSSL encryption" : ""),
                        "convert it: openssl pkcs8 -topk8 -in " + name + " -out key.pem (add -nocrypt for no passphrase)");
                case "PUBLIC KEY" -> throw new BeeException(ErrorKind.USAGE, name + " is a public key; signing needs the"
                        + " private key", "give the .key file (bee key generate writes PREFIX.key beside PREFIX.pub)");
                default -> {
                    // another block (a certificate, parameters): look further
                }
            }
        }
        throw malformed(name, "it holds no PEM 'PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY' block");
    }

    private static ECPrivateKey pkcs8(Pem.Block b, String name) {
        if (b.der() == null) {
            throw malformed(name, "its key block is not base64");
        }
        return pkcs8(b.der(), name);
    }

    private static ECPrivateKey pkcs8(byte[] der, String name) {
        try {
            PrivateKey k = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            return (ECPrivateKey) requireP256(k, name);
        } catch (GeneralSecurityException | ClassCastException e) {
            throw notEc(name);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    private static ECPrivateKey encrypted(Pem.Block b, String name, Supplier<char[]> password) {
        if (b.der() == null) {
            throw malformed(name, "its key block is not base64");
        }
        char[] pass = password == null ? null : password.get();
        if (pass == null) {
            throw new BeeException(ErrorKind.USAGE, name + " is encrypted and " + PASSWORD_ENV + " is not set",
                    "export " + PASSWORD_ENV + " with the key's passphrase");
        }
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(b.der());
        } catch (IOException e) {
            throw malformed(name, "its ENCRYPTED PRIVATE KEY block is not PKCS#8");
        }
        byte[] der;
        try {
            // PBES2's parameters name the key derivation and the cipher (PBEWithHmacSHA256AndAES_256).
            AlgorithmParameters params = info.getAlgParameters();
            String algorithm = params != null ? params.toString() : info.getAlgName();
            PBEKeySpec spec = new PBEKeySpec(pass);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, SecretKeyFactory.getInstance(algorithm).generateSecret(spec), params);
            spec.clearPassword();
            der = info.getKeySpec(cipher).getEncoded();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new BeeException(ErrorKind.INPUT, name + " is encrypted with a scheme this Java runtime lacks",
                    "re-encrypt it: openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -in PLAIN.pem -out " + name);
        } catch (GeneralSecurityException e) {
            throw new BeeException(ErrorKind.USAGE, "cannot decrypt " + name + ": wrong passphrase in " + PASSWORD_ENV,
                    "export " + PASSWORD_ENV + " with the passphrase the key was encrypted with");
        } finally {
            Arrays.fill(pass, '\0');
        }
        return pkcs8(der, name);
    }

    private static Key requireP256(Key k, String name) {
        ECParameterSpec p = ((ECKey) k).getParams();
        if (!P256.matches(p)) {
            throw new BeeException(ErrorKind.USAGE, name + " is an EC key on another curve than P-256",
                    "bee signs and verifies with ECDSA P-256 (cosign's default): bee key generate makes such a pair");
        }
        return k;
    }

    private static String text(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(MAX_BYTES + 1);
            if (b.length > MAX_BYTES) {
                throw malformed(file.toString(), "it is larger than " + MAX_BYTES + " bytes, far more than a key");
            }
            return new String(b, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new BeeException(ErrorKind.NOT_FOUND, "no such key file: " + file,
                    "make a key pair with 'bee key generate'");
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read key file " + file + ": " + e.getClass().getSimpleName(),
                    "check that the file is readable");
        }
    }

    private static BeeException notEc(String name) {
        return new BeeException(ErrorKind.USAGE, name + " is not an EC key",
                "bee signs and verifies with ECDSA P-256 (cosign's default): bee key generate makes such a pair");
    }

    private static BeeException malformed(String name, String why) {
        return new BeeException(ErrorKind.INPUT, name + " is not a key bee reads: " + why, CONVERT_HINT);
    }
}
