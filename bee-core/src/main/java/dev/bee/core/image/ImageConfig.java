package dev.bee.core.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.bee.core.io.Json;
import dev.bee.core.io.JsonTree;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.GlobalVar;
import dev.bee.core.object.MapSpec;
import dev.bee.core.object.ProgramSpec;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
            return Json.digested().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write image config: " + e.getMessage(), e);
        }
    }

    /**
     * bee's config in {@code raw}, or null when the blob is another tool's (BumbleBee's {@code {}}) or does
     * not have the shape of bee's. Read from the JSON tree with the conversions Jackson's data binding
     * applies to these records (unknown fields ignored, numbers and booleans taken as text, numeric text as
     * numbers, null as 0 or false), without its start-up cost: {@code bee list} reads every image's config.
     */
    public static ImageConfig parse(byte[] raw) {
        try {
            Map<String, Object> n = JsonTree.object(JsonTree.parse(raw));
            if (n == null || !SCHEMA.equals(JsonTree.text(n.get("schema"), null))) {
                return null;
            }
            return new ImageConfig(string(n, "schema"), string(n, "architecture"), string(n, "os"),
                    string(n, "os.version"), string(n, "variant"), string(n, "license"),
                    list(n.get("programs"), p -> new Program(string(p, "name"), string(p, "section"), string(p, "type"),
                            string(p, "attach"), string(p, "target"))),
                    list(n.get("maps"), m -> new MapInfo(string(m, "name"), string(m, "type"), string(m, "output"),
                            string(m, "keyType"), string(m, "valueType"), number(m, "keySize"), number(m, "valueSize"),
                            number(m, "maxEntries"))),
                    list(n.get("globals"), g -> new Global(string(g, "name"), string(g, "section"), string(g, "type"),
                            bool(g, "constant"), g.get("defaultValue"))),
                    record(n.get("build"), b -> new Build(string(b, "clang"), string(b, "sourceDigest"), string(b, "source"))));
        } catch (IOException | NotBees e) {
            return null;
        }
    }

    /** A value that does not fit bee's config (data binding would have refused it). */
    private static final class NotBees extends RuntimeException {
        NotBees() {
            super(null, null, false, false);
        }
    }

    private static String string(Map<String, Object> n, String field) {
        Object v = n.get(field);
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw new NotBees();
        }
        return JsonTree.text(v, null);
    }

    private static long number(Map<String, Object> n, String field) {
        Object v = n.get(field);
        if (v == null) {
            return 0;
        }
        if (v instanceof BigInteger b && b.bitLength() >= 64) {
            throw new NotBees();
        }
        if (v instanceof Number x) {
            return x.longValue();
        }
        if (v instanceof String s) {
            if (s.isBlank()) {
                return 0;
            }
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new NotBees();
            }
        }
        throw new NotBees();
    }

    private static boolean bool(Map<String, Object> n, String field) {
        Object v = n.get(field);
        if (v == null) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof BigInteger b) {
            return b.signum() != 0;
        }
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue() != 0;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.isEmpty() || t.equalsIgnoreCase("false")) {
                return false;
            }
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
        }
        throw new NotBees();
    }

    private static <T> T record(Object v, Function<Map<String, Object>, T> make) {
        if (v == null) {
            return null;
        }
        Map<String, Object> m = JsonTree.object(v);
        if (m == null) {
            throw new NotBees();
        }
        return make.apply(m);
    }

    private static <T> List<T> list(Object v, Function<Map<String, Object>, T> make) {
        if (v == null) {
            return null;
        }
        List<Object> l = JsonTree.array(v);
        if (l == null) {
            throw new NotBees();
        }
        List<T> out = new ArrayList<>(l.size());
        for (Object e : l) {
            out.add(record(e, make));
        }
        return out;
    }
}
