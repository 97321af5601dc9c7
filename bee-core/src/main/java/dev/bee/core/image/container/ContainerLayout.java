package dev.bee.core.image.container;

/** Where {@code bee package} puts things inside a container image. */
public final class ContainerLayout {
    private ContainerLayout() {
    }

    /** bee's own code: {@code bee.jar}, or {@code lib/} and {@code classes/} when bee runs from a class path. */
    public static final String APP = "/opt/bee";
    /** bee's home in the image ({@code BEE_HOME}). */
    public static final String HOME = "/var/lib/bee";
    /** The OCI store holding the eBPF image, so {@code bee run REF} needs no registry ({@code BEE_STORAGE}). */
    public static final String STORE = HOME + "/store";
}
