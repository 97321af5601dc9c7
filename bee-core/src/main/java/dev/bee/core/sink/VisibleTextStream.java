package dev.bee.core.sink;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A UTF-8 byte stream with {@link VisibleText#lines}'s rule applied on the way through: C0 controls
 * other than newline and tab, DEL and the C1 controls (UTF-8 {@code C2 80..9F}) are written as
 * escapes. bee's stderr goes through it, so no message (an error quoting a file name, a warning naming
 * a map of a hostile object) can write a control sequence to the terminal, whoever built the message.
 */
public final class VisibleTextStream extends FilterOutputStream {
    /** A {@code C2} lead byte held until the next byte says whether it starts a C1 control. */
    private boolean pendingC2;

    public VisibleTextStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xff;
        if (pendingC2) {
            pendingC2 = false;
            if (b >= 0x80 && b <= 0x9f) {
                out.write(String.format("\\u%04x", b).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                return;
            }
            out.write(0xc2);
        }
        if (b == 0xc2) {
            pendingC2 = true;
        } else if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
            out.write('\\');
            out.write('x');
            out.write(Character.forDigit(b >> 4, 16));
            out.write(Character.forDigit(b & 0xf, 16));
        } else {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            int c = b[i] & 0xff;
            if (c < 0x20 || c == 0x7f || c == 0xc2 || pendingC2) {
                out.write(b, start, i - start);
                write(c);
                start = i + 1;
            }
        }
        out.write(b, start, end - start);
    }

    @Override
    public void flush() throws IOException {
        if (pendingC2) {
            pendingC2 = false;
            out.write(0xc2);
        }
        super.flush();
    }
}
