package dev.bee.core.image;

/** Who made an image, which decides where its program is and what its config says. */
public enum ImageKind {
    /** bee: BumbleBee's layout with a config that describes the object. */
    BEE,
    /** BumbleBee: config {@code {}}, raw ELF layer. */
    BUMBLEBEE,
    /** bpfman bytecode image: ordinary image config with {@code io.ebpf.*} labels, tar layer with the object. */
    BPFMAN,
    /** Inspektor Gadget: artifact type {@code application/vnd.gadget.v1+binary}, raw ELF layer. */
    GADGET;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The format's name for people: which tool's layout the image has. */
    public String format() {
        return switch (this) {
            case BEE -> "bee (BumbleBee's layout with bee's config)";
            case BUMBLEBEE -> "BumbleBee";
            case BPFMAN -> "bpfman bytecode image";
            case GADGET -> "Inspektor Gadget";
        };
    }
}
