package dev.bee.core.image;

/** What a push or pull tells a person while it runs; the CLI draws a bar or prints quiet lines. */
public interface TransferProgress {
    /** A blob ({@code what}: config, layer, manifest) starts moving. */
    void start(String what, String digest, long size);

    /** {@code bytes} more of the current blob moved. */
    void advance(long bytes);

    /** The current blob is done; {@code skipped} when the other side already had it. */
    void done(String what, String digest, long size, boolean skipped);

    TransferProgress NONE = new TransferProgress() {
        @Override
        public void start(String what, String digest, long size) {
        }

        @Override
        public void advance(long bytes) {
        }

        @Override
        public void done(String what, String digest, long size, boolean skipped) {
        }
    };
}
