package dev.bee.core.runtime;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.decode.ValueEncoder;
import dev.bee.core.libbpf.MapHandle;
import dev.bee.core.libbpf.ObjectHandle;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.GlobalVar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --set NAME=VALUE}: finds the {@code const volatile} global each setting names, has {@link
 * ValueEncoder} turn its text into bytes of the global's BTF type (errors name the setting and the
 * global's type), and writes the bytes into the opened object's data map before load.
 */
public final class GlobalOverrides {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalOverrides.class);

    /** One override: where it goes and what to write. */
    public record Override(GlobalVar global, byte[] bytes, String text) {
    }

    private GlobalOverrides() {
    }

    /** Parses {@code NAME=VALUE} settings against the object's globals; later settings of a name win. */
    public static List<Override> parse(BpfObject object, List<String> settings) {
        Map<String, Override> out = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new BeeException(ErrorKind.USAGE, "--set " + s + ": expected NAME=VALUE",
                        "for example --set target_pid=1234");
            }
            String name = s.substring(0, eq).trim();
            String value = s.substring(eq + 1);
            GlobalVar g = object.global(name).orElseThrow(() -> new BeeException(ErrorKind.USAGE,
                    "--set " + name + ": the object has no global named '" + name + "'",
                    settable(object)));
            if (!settable(g)) {
                throw new BeeException(ErrorKind.USAGE, "--set " + name + ": '" + name + "' is not a const volatile global",
                        "declare it as: const volatile " + g.type() + " " + name + " = ...;");
            }
            out.put(name, new Override(g, encode(object, g, value), value));
        }
        return new ArrayList<>(out.values());
    }

    /**
     * const volatile globals: those BTF marks const, and any in .rodata (for arrays the const sits on
     * the element type, and clang puts exactly the const globals in .rodata).
     */
    static boolean settable(GlobalVar g) {
        return g.constant() || g.section().equals(".rodata") || g.section().startsWith(".rodata.");
    }

    private static String settable(BpfObject object) {
        List<String> names = object.globals().stream().filter(GlobalOverrides::settable).map(GlobalVar::name).toList();
        return names.isEmpty() ? "this object has no const volatile globals to set"
                : "settable globals: " + String.join(", ", names);
    }

    static byte[] encode(BpfObject object, GlobalVar g, String text) {
        try {
            return new ValueEncoder(object.btf(), object.elf().byteOrder()).encode(g.typeId(), text);
        } catch (BeeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw bad(g, text, e.getMessage());
        }
    }

    /** Writes each override into the initial value of its section's data map, before the object loads. */
    static void write(ObjectHandle handle, List<Override> overrides) {
        for (Override o : overrides) {
            String section = o.global().section();
            MapHandle map = handle.maps().stream().filter(m -> m.isInternal() && isDataMapOf(m.name(), section))
                    .findFirst().orElseThrow(() -> new BeeException(ErrorKind.INPUT, "--set " + o.global().name()
                            + ": libbpf made no map for section " + section));
            map.writeInitialValue(o.global().offset(), o.bytes());
            LOG.debug("set {} = {} ({} bytes at {}+{})", o.global().name(), o.text(), o.bytes().length, map.name(),
                    o.global().offset());
        }
    }

    /** libbpf names data maps "<obj prefix><section>" for .rodata/.data/.bss, the section itself otherwise. */
    static boolean isDataMapOf(String mapName, String section) {
        String truncated = section.length() > 15 ? section.substring(0, 15) : section;
        if (mapName.equals(section) || mapName.equals(truncated)) {
            return true;
        }
        return mapName.endsWith(section) && mapName.indexOf('.') == mapName.length() - section.length();
    }

    private static BeeException bad(GlobalVar g, String text, String why) {
        return new BeeException(ErrorKind.USAGE, "--set " + g.name() + "=" + text + ": " + why,
                g.name() + " is a " + g.type());
    }
}
