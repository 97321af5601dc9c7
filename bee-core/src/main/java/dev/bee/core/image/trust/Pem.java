package dev.bee.core.image.trust;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM text (RFC 7468): blocks of a label and base64 DER between BEGIN and END lines. */
final class Pem {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]{1,64})-----\\r?\\n(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("(?m)^[A-Za-z-]+:");

    /** One block: its label ({@code PUBLIC KEY}, {@code PRIVATE KEY}...) and its DER bytes (null when not base64). */
    record Block(String label, byte[] der, boolean hasHeaders) {
    }

    private Pem() {
    }

    static List<Block> read(String text) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean headers = HEADER.matcher(body).find();
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                der = null;
            }
            out.add(new Block(m.group(1), der, headers));
        }
        return out;
    }

    static byte[] write(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
