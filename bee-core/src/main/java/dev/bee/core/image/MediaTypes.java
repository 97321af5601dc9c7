package dev.bee.core.image;

/**
 * The media types and annotation keys of the images bee writes and reads: BumbleBee's (which bee
 * writes too), the OCI ones around them, and those of peers (bpfman, Inspektor Gadget).
 */
public final class MediaTypes {
    private MediaTypes() {
    }

    /** BumbleBee's config blob; bee writes the same type with a config that describes the object. */
    public static final String EBPF_CONFIG = "application/ebpf.oci.image.config.v1+json";
    /** BumbleBee's program layer: the raw ELF object. */
    public static final String EBPF_PROGRAM = "application/ebpf.oci.image.program.v1+binary";

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_TAR_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String DOCKER_LAYER_TAR_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    /** Inspektor Gadget. */
    public static final String GADGET_ARTIFACT = "application/vnd.gadget.v1+binary";
    public static final String GADGET_PROGRAM = "application/vnd.gadget.ebpf.program.v1+binary";
    public static final String GADGET_CONFIG = "application/vnd.gadget.config.v1+yaml";

    public static final String TITLE = "org.opencontainers.image.title";
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    public static final String CREATED = "org.opencontainers.image.created";
    public static final String DESCRIPTION = "org.opencontainers.image.description";
    public static final String AUTHORS = "org.opencontainers.image.authors";
    public static final String SOURCE = "org.opencontainers.image.source";

    /** bpfman's config labels. */
    public static final String BPFMAN_PROGRAMS = "io.ebpf.programs";
    public static final String BPFMAN_MAPS = "io.ebpf.maps";
    public static final String BPFMAN_PROGRAM_NAME = "io.ebpf.program_name";
    public static final String BPFMAN_FUNCTION_NAME = "io.ebpf.bpf_function_name";
    public static final String BPFMAN_PROGRAM_TYPE = "io.ebpf.program_type";
    public static final String BPFMAN_FILENAME = "io.ebpf.filename";

    public static final String CONFIG_TITLE = "config.json";
    public static final String PROGRAM_TITLE = "program.o";

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_LIST.equals(mediaType);
    }

    public static boolean isManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }
}
