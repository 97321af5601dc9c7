package dev.bee.core.image;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.io.AtomicFiles;
import dev.bee.core.io.JsonTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The store's {@code index.json}: which manifests it holds, under which names. Entries stay the JSON values
 * the file has ({@link JsonTree}: no data binding, so that list, tag and rmi start fast), so that naming or
 * removing one rewrites every other entry exactly as it was, with fields bee does not know. The file is
 * replaced by a rename; callers that change it hold the store's lock.
 */
final class StoreIndex {
    private final StoreFiles files;

    StoreIndex(StoreFiles files) {
        this.files = files;
    }

    /** Every entry, in the file's order (none when there is no index yet). */
    List<ImageStore.Entry> entries() {
        List<ImageStore.Entry> out = new ArrayList<>();
        for (Object n : manifests()) {
            Descriptor d = Descriptor.parse(n, files.root() + "/index.json");
            out.add(new ImageStore.Entry(d.annotations().get(MediaTypes.REF_NAME), d));
        }
        return out;
    }

    /** The entries as they are written in the file. */
    private List<Object> manifests() {
        Path index = files.index();
        if (!Files.isRegularFile(index)) {
            return new ArrayList<>();
        }
        try {
            Object ms = JsonTree.get(JsonTree.parse(Files.readAllBytes(index)), "manifests");
            if (ms == null) {
                return new ArrayList<>();
            }
            if (!(ms instanceof List<?>)) {
                throw new BeeException(ErrorKind.INPUT, index + ": 'manifests' is not an array");
            }
            return JsonTree.array(ms);
        } catch (IOException e) {
            throw new BeeException(ErrorKind.INPUT, "cannot read " + index + ": " + e.getMessage(),
                    "the store is damaged; move it away or pass another --storage", e);
        }
    }

    /** Names {@code manifest} {@code name}: the entry that had the name goes, a new one is added at the end. */
    void name(String name, Descriptor manifest) throws IOException {
        createLayout();
        List<Object> kept = new ArrayList<>();
        for (Object n : manifests()) {
            if (!name.equals(JsonTree.text(JsonTree.get(JsonTree.get(n, "annotations"), MediaTypes.REF_NAME), null))) {
                kept.add(n);
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>(manifest.annotations());
        annotations.put(MediaTypes.REF_NAME, name);
        kept.add(manifest.withAnnotations(annotations).toJson());
        save(kept);
    }

    /**
     * Removes the entries with the digest and name of one of {@code victims} (an unnamed one by its digest);
     * returns what was removed, names or (unnamed) digests, in the file's order.
     */
    List<String> remove(List<ImageStore.Entry> victims) throws IOException {
        List<Object> kept = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Object n : manifests()) {
            Descriptor d = Descriptor.parse(n, "index.json");
            String name = d.annotations().get(MediaTypes.REF_NAME);
            if (victims.stream().anyMatch(v -> v.digest().equals(d.digest()) && Objects.equals(v.name(), name))) {
                removed.add(name != null ? name : d.digest());
            } else {
                kept.add(n);
            }
        }
        save(kept);
        return removed;
    }

    /** Makes the folder an OCI image layout, if it is not one yet: the blobs folder, {@code oci-layout}, an empty index. */
    void createLayout() throws IOException {
        Files.createDirectories(files.blobs());
        if (!Files.isRegularFile(files.ociLayout())) {
            AtomicFiles.write(files.ociLayout(), "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
        }
        if (!Files.isRegularFile(files.index())) {
            save(new ArrayList<>());
        }
    }

    private void save(List<Object> manifests) throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        AtomicFiles.write(files.index(), JsonTree.write(index));
    }
}
