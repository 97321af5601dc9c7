package dev.bee.core.image;

import dev.bee.core.Architecture;

import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An OCI platform: OS, architecture in OCI spelling ({@code amd64}, {@code arm64}...), optional
 * variant, and the OS version (for eBPF images, the kernel release the program was built on).
 */
public record Platform(String os, String architecture, String variant, String osVersion) {

    /** This machine: {@code linux}, its architecture, and the running kernel's release. */
    public static Platform host() {
        String arch = ociArch(System.getProperty("os.arch"));
        String variant = arch.equals("arm64") ? "v8" : arch.equals("arm") ? "v7" : null;
        return new Platform(System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT).contains("linux")
                ? "linux" : System.getProperty("os.name").toLowerCase(Locale.ROOT), arch, variant,
                System.getProperty("os.version"));
    }

    /** OCI's name for a Java or OCI architecture name; one bee does not know is kept, in lower case. */
    public static String ociArch(String javaArch) {
        return Architecture.of(javaArch).map(Architecture::oci).orElse(javaArch.toLowerCase(Locale.ROOT));
    }

    /** Reads an OCI platform object; null for a missing one. Accepts BumbleBee's capitalised OS names. */
    public static Platform of(Object node) {
        Map<String, Object> n = JsonTree.object(node);
        if (n == null) {
            return null;
        }
        return new Platform(text(n, "os"), text(n, "architecture"), text(n, "variant"), text(n, "os.version"));
    }

    /**
     * The platform in an image config's OCI fields ({@code os}, {@code architecture}, {@code os.version},
     * {@code variant}), as bee's configs and container-built images (bpfman's) carry it; null when the
     * config has none (BumbleBee's {@code {}}) or is not JSON (Inspektor Gadget's YAML).
     */
    public static Platform ofConfig(byte[] config) {
        try {
            Object n = JsonTree.parse(config);
            if (!(JsonTree.get(n, "os") instanceof String) || !(JsonTree.get(n, "architecture") instanceof String)) {
                return null;
            }
            return of(n);
        } catch (IOException e) {
            return null;
        }
    }

    private static String text(Map<String, Object> n, String field) {
        return JsonTree.text(n.get(field), null);
    }

    /** The OCI JSON form (for {@link JsonTree#write}). */
    public Map<String, Object> toJson() {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("architecture", architecture);
        n.put("os", os);
        if (osVersion != null) {
            n.put("os.version", osVersion);
        }
        if (variant != null) {
            n.put("variant", variant);
        }
        return n;
    }

    /** Whether an image for this platform runs on {@code host} (OS and architecture; variant if both say). */
    public boolean runsOn(Platform host) {
        if (os != null && !os.equalsIgnoreCase(host.os())) {
            return false;
        }
        if (architecture == null || !ociArch(architecture).equals(host.architecture())) {
            return false;
        }
        return variant == null || host.variant() == null || variant.equals(host.variant())
                || (host.architecture().equals("arm64") && variant.equals("v8"));
    }

    /** {@code linux/amd64} (with the variant when there is one). */
    public String shortForm() {
        return (os == null ? "?" : os.toLowerCase(Locale.ROOT)) + "/" + (architecture == null ? "?" : architecture)
                + (variant != null ? "/" + variant : "");
    }

    @Override
    public String toString() {
        return shortForm() + (osVersion != null ? " (" + osVersion + ")" : "");
    }
}
