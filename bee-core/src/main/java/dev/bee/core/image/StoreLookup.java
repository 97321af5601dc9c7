package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which entries of the store's index a reference names: a stored name as given, a name in any form
 * {@link ImageRef} reads ({@code docker.io/library/x:1} is {@code x:1}), {@code NAME@sha256:...}, a digest,
 * or a digest prefix of at least 6 hex digits. Pure: works on entries already read.
 */
final class StoreLookup {
    private static final Pattern HEX_PREFIX = Pattern.compile("(sha256:)?[0-9a-f]{6,64}");

    private StoreLookup() {
    }

    /** The entry {@code ref} names: by name first, then by digest; a prefix of several images' digests is a usage error. */
    static Optional<ImageStore.Entry> find(List<ImageStore.Entry> all, String ref) {
        List<ImageStore.Entry> byName = byName(all, ref);
        if (!byName.isEmpty()) {
            return Optional.of(byName.get(0));
        }
        List<ImageStore.Entry> byDigest = byDigest(all, ref);
        if (byDigest.stream().map(ImageStore.Entry::digest).distinct().count() > 1) {
            throw new BeeException(ErrorKind.USAGE, "'" + ref + "' matches several images",
                    "give more digits of the digest, or the image's name");
        }
        return byDigest.stream().findFirst();
    }

    /**
     * What {@code rmi REF} removes: the one name {@code ref} names, or, for a digest (alone, after a name, or a
     * prefix), every entry of that image. Empty when {@code ref} names nothing.
     */
    static List<ImageStore.Entry> toRemove(List<ImageStore.Entry> all, String ref) {
        List<ImageStore.Entry> byName = byName(all, ref);
        boolean byDigestQuery = !byName.isEmpty() && ImageRef.isValid(ref) && ImageRef.parse(ref).digest() != null;
        if (!byName.isEmpty() && !byDigestQuery) {
            return List.of(byName.get(0));
        }
        Optional<ImageStore.Entry> target = byName.isEmpty() ? find(all, ref) : Optional.of(byName.get(0));
        return target.map(t -> all.stream().filter(x -> x.digest().equals(t.digest())).toList()).orElse(List.of());
    }

    /** Named entries {@code ref} matches by name, the one stored exactly as {@code ref} first. */
    static List<ImageStore.Entry> byName(List<ImageStore.Entry> all, String ref) {
        ImageRef q = ImageRef.isValid(ref) ? ImageRef.parse(ref) : null;
        List<ImageStore.Entry> out = new ArrayList<>();
        for (ImageStore.Entry e : all) {
            if (e.name() == null) {
                continue;
            }
            if (e.name().equals(ref)) {
                out.add(0, e);
                continue;
            }
            if (q != null && ImageRef.isValid(e.name())) {
                ImageRef n = ImageRef.parse(e.name());
                if (q.digest() != null) {
                    if (n.repository().equals(q.repository()) && q.digest().equals(e.digest())
                            && (q.tag() == null || q.tag().equals(n.tag()))) {
                        out.add(e);
                    }
                } else if (n.repository().equals(q.repository()) && q.tag().equals(n.tag())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Entries whose digest {@code ref} is ({@code sha256:...}, or a name with one) or starts with (a hex prefix). */
    static List<ImageStore.Entry> byDigest(List<ImageStore.Entry> all, String ref) {
        boolean prefix = HEX_PREFIX.matcher(ref).matches();
        if (!prefix && ImageRef.isValid(ref) && ImageRef.parse(ref).digest() != null) {
            String digest = ImageRef.parse(ref).digest();
            return all.stream().filter(e -> e.digest().equals(digest)).toList();
        }
        if (prefix) {
            String start = ref.startsWith("sha256:") ? ref : "sha256:" + ref;
            return all.stream().filter(e -> e.digest().startsWith(start)).toList();
        }
        return List.of();
    }
}
