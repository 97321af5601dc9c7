package dev.bee.core.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.GlobalVar;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.ProgramSpec;

import java.io.IOException;
import java.util.List;

/**
 * The config blob bee writes (media type {@link MediaTypes#EBPF_CONFIG}, as BumbleBee's): what the
 * object holds, so {@code list} and {@code describe} need no ELF parsing. BumbleBee writes {@code {}}
 * there; {@link #parse} returns null for any config that is not bee's.
 *
 * <p>The platform the object was built for sits in the OCI image config's own fields
 * ({@code architecture}, {@code os}, {@code os.version}, {@code variant}): a registry keeps the config,
 * while the platform on the local index's descriptor (where BumbleBee keeps it) is lost on push.
 */
public record ImageConfig(String schema,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String architecture,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String os,
                          @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("os.version") String osVersion,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String variant,
                          String license, List<Program> programs, List<MapInfo> maps,
                          List<Global> globals, Build build) {
    public static final String SCHEMA = "dev.bee.image.config.v1";
    /** bee's own mapper for image documents, so output settings elsewhere never change a digest. */
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);

    public record Program(String name, String section, String type, String attach, String target) {
    }

    public record MapInfo(String name, String type, String output, String keyType, String valueType,
                          long keySize, long valueSize, long maxEntries) {
    }

    public record Global(String name, String section, String type, boolean constant, Object defaultValue) {
    }

    /** How the object was made: clang's version, the source's digest and file name; null parts unknown. */
    public record Build(String clang, String sourceDigest, String source) {
    }

    /**
     * The description of {@code object}; {@code build} may be null (object not built by bee here), and so
     * may {@code platform} (not known).
     */
    public static ImageConfig of(BpfObject object, Build build, Platform platform) {
        List<Program> programs = object.programs().stream().map(ImageConfig::program).toList();
        List<MapInfo> maps = object.maps().stream().map(ImageConfig::map).toList();
        List<Global> globals = object.globals().stream().map(ImageConfig::global).toList();
        return new ImageConfig(SCHEMA, platform == null ? null : platform.architecture(),
                platform == null ? null : platform.os(), platform == null ? null : platform.osVersion(),
                platform == null ? null : platform.variant(), object.license(), programs, maps, globals, build);
    }

    private static Program program(ProgramSpec p) {
        return new Program(p.name(), p.section(), p.type().name(), p.attachKind().name(), p.target());
    }

    private static MapInfo map(MapSpec m) {
        return new MapInfo(m.name(), m.type() == null ? "UNKNOWN" : m.type().name(), m.output().name(), m.keyType(),
                m.valueType(), m.keySize(), m.valueSize(), m.maxEntries());
    }

    private static Global global(GlobalVar g) {
        return new Global(g.name(), g.section(), g.type(), g.constant(), g.defaultValue());
    }

    /** Compact JSON with a fixed field order: the same object gives the same bytes (and digest). */
    public byte[] toBytes() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write image config: " + e.getMessage(), e);
        }
    }

    /** bee's config in {@code raw}, or null when the blob is another tool's (BumbleBee's {@code {}}). */
    public static ImageConfig parse(byte[] raw) {
        try {
            JsonNode n = MAPPER.readTree(raw);
            if (n == null || !SCHEMA.equals(n.path("schema").asText(null))) {
                return null;
            }
            ObjectReader reader = MAPPER.readerFor(ImageConfig.class)
                    .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            return reader.readValue(n);
        } catch (IOException e) {
            return null;
        }
    }
}
