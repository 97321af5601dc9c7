package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

/**
 * File names that come from an image (layer titles, tar entry names): tools that unpack images
 * write files under these names, so names that would leave the target folder are refused.
 */
public final class Titles {
    private Titles() {
    }

    /** Fails for an absolute name, a {@code ..} component, a backslash or a NUL; null passes. */
    public static void check(String name, String where) {
        if (name == null) {
            return;
        }
        if (!isSafe(name)) {
            throw new BeeException(ErrorKind.INPUT, where + ": name '" + name
                    + "' would escape the image folder (absolute path or '..'); refusing the image",
                    "the image was made by a broken or hostile tool; do not use it");
        }
    }

    public static boolean isSafe(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0 || name.contains("\\")) {
            return false;
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
