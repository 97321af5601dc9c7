package dev.bee.core.image;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bee's image config: the platform in the OCI config fields, written in a fixed form and read back. */
class ImageConfigTest {
    private static final Platform AMD64 = new Platform("linux", "amd64", null, "6.8.0");

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ImageConfig config(Platform p) {
        return new ImageConfig(ImageConfig.SCHEMA, p == null ? null : p.architecture(), p == null ? null : p.os(),
                p == null ? null : p.osVersion(), p == null ? null : p.variant(), "GPL", List.of(), List.of(),
                List.of(), null);
    }

    @Test
    void platformIsWrittenInTheOciConfigFields() {
        assertEquals("{\"schema\":\"dev.bee.image.config.v1\",\"architecture\":\"amd64\",\"os\":\"linux\","
                        + "\"os.version\":\"6.8.0\",\"license\":\"GPL\",\"programs\":[],\"maps\":[],\"globals\":[],"
                        + "\"build\":null}",
                new String(config(AMD64).toBytes(), StandardCharsets.UTF_8),
                "fixed field order, no variant when there is none: the same build gives the same digest");
    }

    @Test
    void platformReadsBackFromTheConfig() {
        assertEquals(AMD64, Platform.ofConfig(config(AMD64).toBytes()));
        Platform arm = new Platform("linux", "arm64", "v8", "6.1.0");
        assertEquals(arm, Platform.ofConfig(config(arm).toBytes()));
        assertEquals("arm64", ImageConfig.parse(config(arm).toBytes()).architecture());
    }

    @Test
    void configsWithoutAPlatformHaveNone() {
        assertNull(Platform.ofConfig(config(null).toBytes()), "bee's configs from before the platform was recorded");
        assertNull(Platform.ofConfig(utf8("{}")), "BumbleBee's config");
        assertNull(Platform.ofConfig(utf8("name: trace_open\ndescription: x\n")), "Inspektor Gadget's YAML");
        assertNull(Platform.ofConfig(utf8("{\"os\":\"linux\"}")), "no architecture");
        assertEquals(new Platform("linux", "arm64", null, null), Platform.ofConfig(utf8(
                "{\"architecture\":\"arm64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"io.ebpf.programs\":\"{}\"}}}")),
                "a container-built config (bpfman's)");
    }

    @Test
    void aU64DefaultAboveTwoTo53StaysExact() {
        BigInteger max = new BigInteger("18446744073709551615");
        ImageConfig c = new ImageConfig(ImageConfig.SCHEMA, null, null, null, null, "GPL", List.of(), List.of(),
                List.of(new ImageConfig.Global("max_u64", ".rodata", "const volatile u64", true, max)), null);
        assertTrue(new String(c.toBytes(), StandardCharsets.UTF_8).contains("\"defaultValue\":18446744073709551615}"));
        assertEquals(max, ImageConfig.parse(c.toBytes()).globals().get(0).defaultValue());
    }

    @Test
    void olderConfigsStillParse() {
        ImageConfig c = ImageConfig.parse(utf8("{\"schema\":\"dev.bee.image.config.v1\",\"license\":\"GPL\","
                + "\"programs\":[],\"maps\":[],\"globals\":[],\"build\":null}"));
        assertEquals("GPL", c.license());
        assertNull(c.os());
    }

    /** What Jackson's data binding read from a config before parse read the JSON tree itself (null: refused). */
    private static ImageConfig bound(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readerFor(ImageConfig.class)
                    .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(json);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    void parseReadsWhatDataBindingRead() {
        String head = "{\"schema\":\"dev.bee.image.config.v1\",";
        List<String> docs = List.of(
                head + "\"architecture\":\"amd64\",\"os\":\"linux\",\"os.version\":\"6.8\",\"variant\":null,"
                        + "\"license\":\"GPL\",\"programs\":[{\"name\":\"p\",\"section\":\"tp/x\",\"type\":\"TRACEPOINT\","
                        + "\"attach\":\"TRACEPOINT\",\"target\":\"x\",\"extra\":1}],\"maps\":[{\"name\":\"m\",\"type\":\"HASH\","
                        + "\"output\":\"PRINT\",\"keyType\":\"k\",\"valueType\":\"v\",\"keySize\":4,\"valueSize\":\"8\","
                        + "\"maxEntries\":null}],\"globals\":[{\"name\":\"g\",\"section\":\".rodata\",\"type\":\"u32\","
                        + "\"constant\":true,\"defaultValue\":{\"a\":[1,2.5,\"x\",null,18446744073709551615]}},null],"
                        + "\"build\":{\"clang\":\"18\",\"sourceDigest\":\"sha256:00\",\"source\":\"x.c\"},\"unknown\":[1]}",
                head + "\"license\":5,\"programs\":null,\"maps\":[],\"globals\":[{\"constant\":0,\"defaultValue\":-1}]}",
                head + "\"license\":true,\"globals\":[{\"constant\":\"false\"}],\"maps\":[{\"keySize\":2.9}]}",
                head + "\"license\":{\"a\":1}}",
                head + "\"programs\":{}}",
                head + "\"programs\":[\"p\"]}",
                head + "\"maps\":[{\"keySize\":\"four\"}]}",
                head + "\"maps\":[{\"keySize\":true}]}",
                head + "\"build\":[]}");
        for (String doc : docs) {
            assertEquals(bound(doc), ImageConfig.parse(utf8(doc)), doc);
        }
        assertNull(ImageConfig.parse(utf8("{}")), "BumbleBee's");
        assertNull(ImageConfig.parse(utf8("name: gadget")), "not JSON");
    }
}
