package dev.bee.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JsonTree reads and writes what Jackson's tree model (readTree, writeValueAsBytes) reads and writes. */
class JsonTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final List<String> DOCS = List.of(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}",
            "{\"a\":1,\"b\":-9223372036854775808,\"c\":18446744073709551615,\"d\":1.5,\"e\":1e300,\"f\":-0.0}",
            "{\"s\":\"ü \\u0001 \\\" \\\\ / \\n\\t é\",\"t\":true,\"f\":false,\"n\":null,\"o\":{},\"l\":[1,[2,{}]]}",
            "{\"dup\":1,\"x\":2,\"dup\":3}",
            "  [ {\"k\" : \"v\"} , 2 ]  trailing",
            "\"just a string\"",
            "{\"annotations\":{\"org.opencontainers.image.ref.name\":\"a:b\",\"n\":5,\"o\":{\"x\":[true,null]}}}");

    @Test
    void writesTheBytesJacksonWritesForTheSameTree() throws IOException {
        for (String doc : DOCS) {
            byte[] raw = doc.getBytes(StandardCharsets.UTF_8);
            JsonNode node = MAPPER.readTree(raw);
            Object tree = JsonTree.parse(raw);
            assertEquals(new String(MAPPER.writeValueAsBytes(node), StandardCharsets.UTF_8),
                    new String(JsonTree.write(tree), StandardCharsets.UTF_8), doc);
            assertEquals(new String(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node), StandardCharsets.UTF_8),
                    new String(JsonTree.writePretty(tree), StandardCharsets.UTF_8), doc);
            assertEquals(node.toString(), JsonTree.toJson(tree), doc);
        }
    }

    @Test
    void numbersKeepTheirSize() throws IOException {
        Map<String, Object> m = JsonTree.object(JsonTree.parse(DOCS.get(1).getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, m.get("a"));
        assertEquals(Long.MIN_VALUE, m.get("b"));
        assertEquals(new BigInteger("18446744073709551615"), m.get("c"));
        assertEquals(1.5, m.get("d"));
    }

    @Test
    void accessorsConvertAsJsonNodeDoes() throws IOException {
        String doc = "{\"s\":\"text\",\"i\":42,\"d\":2.5,\"b\":true,\"n\":null,\"o\":{\"x\":1},\"l\":[1],"
                + "\"si\":\" 7 \",\"sd\":\"2.9\",\"big\":18446744073709551615,\"neg\":-3}";
        JsonNode node = MAPPER.readTree(doc);
        Object tree = JsonTree.parse(doc.getBytes(StandardCharsets.UTF_8));
        for (String f : List.of("s", "i", "d", "b", "n", "o", "l", "si", "sd", "big", "neg", "absent")) {
            assertEquals(node.path(f).asText("DEFAULT"), JsonTree.text(JsonTree.get(tree, f), "DEFAULT"), f);
            assertEquals(node.path(f).asInt(), JsonTree.asInt(JsonTree.get(tree, f)), f);
            assertEquals(node.has(f), JsonTree.has(tree, f), f);
            JsonNode v = node.get(f);
            assertEquals(v != null && v.canConvertToLong(), JsonTree.isLong(JsonTree.get(tree, f)), f);
        }
    }

    @Test
    void emptyInputIsMissingAndBadInputFailsAsJacksonDoes() throws IOException {
        assertSame(JsonTree.MISSING, JsonTree.parse(new byte[0]));
        assertSame(JsonTree.MISSING, JsonTree.parse(" \n".getBytes(StandardCharsets.UTF_8)));
        assertNull(JsonTree.get(JsonTree.MISSING, "x"));
        assertFalse(JsonTree.has(JsonTree.MISSING, "x"));
        byte[] bad = "{\"a\":".getBytes(StandardCharsets.UTF_8);
        String jackson = assertThrows(IOException.class, () -> MAPPER.readTree(bad)).getMessage().lines().findFirst()
                .orElse("");
        String ours = assertThrows(IOException.class, () -> JsonTree.parse(bad)).getMessage().lines().findFirst()
                .orElse("");
        assertEquals(jackson, ours);
        assertTrue(assertThrows(IOException.class, () -> JsonTree.parse("name: x".getBytes(StandardCharsets.UTF_8)))
                .getMessage().contains("Unrecognized token"));
    }
}
