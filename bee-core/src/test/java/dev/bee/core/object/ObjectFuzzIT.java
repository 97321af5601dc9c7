package dev.bee.core.object;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.btf.Btf;
import dev.bee.core.disasm.Disassembler;
import dev.bee.core.decode.EventDecoder;
import dev.bee.core.decode.ValueDecoder;
import dev.bee.core.testing.BtfRecords;
import dev.bee.core.testing.Examples;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutates the compiled examples (bit flips, truncation, ELF header and section header fields, BTF types'
 * kind, vlen, size, referenced ids, array lengths and int encodings) and requires reading and describing
 * each result (its sections and its disassembly too), then decoding zero-filled and random values of every map key and value and every global,
 * to succeed or fail with an input error: never another exception or an Error, never longer than
 * {@value #SECONDS_PER_INPUT} s, never with the heap grown by more than {@value #HEAP_GROWTH_MB} MB.
 *
 * <p>Input i uses seed {@code bee.fuzz.seed + i}; a failure names it, so
 * {@code -Dit.test=ObjectFuzzIT -Dbee.fuzz.seed=S -Dbee.fuzz.iterations=1} replays it.
 * {@code bee.fuzz.iterations} (default {@value #DEFAULT_ITERATIONS}) sizes the run to about a minute on two cores.
 */
class ObjectFuzzIT {
    private static final int DEFAULT_ITERATIONS = 1_000_000;
    private static final int SECONDS_PER_INPUT = 2;
    private static final int HEAP_GROWTH_MB = 512;
    /** Values decoded per type are at most this large; a larger declared size is decoded from its first bytes. */
    private static final int MAX_VALUE = 1 << 16;
    private static final long[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256,
            0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL};

    @Test
    void mutatedObjectsAreReadOrRejectedAsInput() throws Exception {
        List<String> names = Examples.names();
        List<byte[]> objects = new ArrayList<>();
        for (String n : names) {
            objects.add(Files.readAllBytes(Examples.object(n)));
        }
        long seed = Long.getLong("bee.fuzz.seed", 1);
        int iterations = Integer.getInteger("bee.fuzz.iterations", DEFAULT_ITERATIONS);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long baseline = rt.totalMemory() - rt.freeMemory();
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true); // a hung input must not keep the test JVM alive
            return t;
        });
        int rejected = 0;
        try {
            for (int i = 0; i < iterations; i++) {
                long s = seed + i;
                Random random = new Random(s);
                int pick = random.nextInt(objects.size());
                StringBuilder how = new StringBuilder(names.get(pick) + ".o");
                byte[] input = mutate(objects.get(pick).clone(), random, how);
                Future<?> run = worker.submit(() -> exercise(input, new Random(s)));
                String replay = "seed " + s + " (" + how + ")";
                try {
                    run.get(SECONDS_PER_INPUT, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    run.cancel(true);
                    fail(replay + " took longer than " + SECONDS_PER_INPUT + " s");
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable t = e.getCause();
                    if (!(t instanceof BeeException be) || be.kind() != ErrorKind.INPUT) {
                        throw new AssertionError(replay + " ended in " + t, t);
                    }
                    rejected++;
                }
                long grown = (rt.totalMemory() - rt.freeMemory() - baseline) >> 20;
                if (grown > HEAP_GROWTH_MB) {
                    System.gc();
                    grown = (rt.totalMemory() - rt.freeMemory() - baseline) >> 20;
                    if (grown > HEAP_GROWTH_MB) {
                        fail(replay + " left the heap " + grown + " MB larger");
                    }
                }
            }
        } finally {
            worker.shutdownNow();
        }
        System.out.println(iterations + " inputs from seed " + seed + ": " + (iterations - rejected)
                + " read and decoded, " + rejected + " rejected as input errors");
        // Mutations that every reader rejects at the ELF header would prove nothing about BTF and decoding.
        assertTrue(iterations < 100 || iterations - rejected > iterations / 10,
                "only " + (iterations - rejected) + " of " + iterations + " inputs were read");
    }

    /** Reads the object, then decodes zero-filled and random values of every typed map side and global. */
    private static void exercise(byte[] object, Random random) {
        BpfObject o = ObjectReader.read("fuzz.o", object);
        Btf btf = o.btf();
        ByteOrder order = o.elf().byteOrder();
        for (MapSpec m : o.maps()) {
            decode(btf, order, m.keyTypeId(), m.keySize(), random);
            decode(btf, order, m.valueTypeId(), m.valueSize(), random);
        }
        for (GlobalVar g : o.globals()) {
            decode(btf, order, g.typeId(), g.size(), random);
        }
        // describe --sections and --disasm, last, so that corrupt code does not keep the decoders above untried.
        ObjectSections.of(o);
        Disassembler.disassemble(o, null);
    }

    private static void decode(Btf btf, ByteOrder order, int typeId, long declaredSize, Random random) {
        if (btf == null || typeId == 0) {
            return;
        }
        EventDecoder events = new EventDecoder(btf, order, typeId, "v", declaredSize);
        events.fieldNames();
        ValueDecoder values = new ValueDecoder(btf, order);
        int size = (int) Math.min(Math.max(events.size(), 0), MAX_VALUE);
        byte[] noise = new byte[size];
        random.nextBytes(noise);
        for (byte[] data : List.of(new byte[size], noise)) {
            events.decode(data, 0);
            values.decode(typeId, data, 0);
        }
    }

    /** One to three edits of random kinds, each described in {@code how}. */
    private static byte[] mutate(byte[] bytes, Random random, StringBuilder how) {
        int edits = 1 + random.nextInt(3);
        for (int k = 0; k < edits; k++) {
            switch (random.nextInt(6)) {
                case 0 -> flipBits(bytes, random, how);
                case 1 -> {
                    int len = random.nextInt(bytes.length);
                    how.append("; truncate to ").append(len);
                    return Arrays.copyOf(bytes, len); // nothing past a cut is worth editing
                }
                case 2 -> elfHeader(bytes, random, how);
                case 3 -> sectionHeader(bytes, random, how);
                default -> btfType(bytes, random, how);
            }
        }
        return bytes;
    }

    private static void flipBits(byte[] bytes, Random random, StringBuilder how) {
        int flips = 1 + random.nextInt(8);
        for (int f = 0; f < flips; f++) {
            int at = random.nextInt(bytes.length);
            int bit = random.nextInt(8);
            bytes[at] ^= (byte) (1 << bit);
            how.append("; flip bit ").append(bit).append(" at ").append(at);
        }
    }

    /** e_ident class and data, e_type, e_machine, e_shoff, e_shentsize, e_shnum, e_shstrndx. */
    private static void elfHeader(byte[] bytes, Random random, StringBuilder how) {
        int[][] fields = {{4, 1}, {5, 1}, {16, 2}, {18, 2}, {40, 8}, {58, 2}, {60, 2}, {62, 2}};
        int[] f = fields[random.nextInt(fields.length)];
        put(bytes, f[0], f[1], value(random, get(bytes, f[0], f[1])), how.append("; ELF header"));
    }

    /** sh_name, sh_type, sh_flags, sh_offset, sh_size, sh_link, sh_info, sh_entsize of a random section. */
    private static void sectionHeader(byte[] bytes, Random random, StringBuilder how) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(40);
        int shnum = b.getShort(60) & 0xffff;
        if (shnum == 0 || shoff < 0 || shoff + 64L * shnum > bytes.length) {
            flipBits(bytes, random, how);
            return;
        }
        int[][] fields = {{0, 4}, {4, 4}, {8, 8}, {24, 8}, {32, 8}, {40, 4}, {44, 4}, {56, 8}};
        int[] f = fields[random.nextInt(fields.length)];
        int section = random.nextInt(shnum);
        int at = (int) (shoff + 64L * section + f[0]);
        put(bytes, at, f[1], value(random, get(bytes, at, f[1])), how.append("; section ").append(section));
    }

    /** A BTF type's kind, vlen, size or type, or one of its extra words (ids, nelems, int encoding, members). */
    private static void btfType(byte[] bytes, Random random, StringBuilder how) {
        BtfRecords records;
        try {
            records = new BtfRecords(bytes);
        } catch (RuntimeException e) {
            flipBits(bytes, random, how); // an earlier edit broke the ELF; no BTF to aim at
            return;
        }
        if (records.count() < 2) {
            return;
        }
        int id = 1 + random.nextInt(records.count() - 1);
        int at;
        long v;
        switch (random.nextInt(4)) {
            case 0 -> {
                at = BtfRecords.INFO;
                long info = records.word(id, at);
                v = random.nextBoolean()
                        ? (info & ~(0x1fL << 24)) | ((long) random.nextInt(32) << 24)
                        : (info & ~0xffffL) | (value(random, info & 0xffff) & 0xffff);
            }
            case 1 -> {
                at = BtfRecords.SIZE_OR_TYPE;
                v = random.nextBoolean() ? random.nextInt(records.count() + 2) : value(random, records.word(id, at));
            }
            default -> {
                int words = extraWords(records, id);
                if (words == 0) {
                    at = BtfRecords.SIZE_OR_TYPE;
                    v = value(random, records.word(id, at));
                } else {
                    at = 12 + 4 * random.nextInt(words);
                    long old = records.word(id, at);
                    v = switch (random.nextInt(3)) {
                        case 0 -> random.nextInt(records.count() + 2); // a type id, maybe one too many
                        case 1 -> records.kind(id) == 1 ? intEncoding(random) : value(random, old);
                        default -> value(random, old);
                    };
                }
            }
        }
        how.append("; BTF type ").append(id).append(" word ").append(at).append(" := 0x").append(Long.toHexString(v));
        records.setWord(id, at, v);
    }

    private static int extraWords(BtfRecords records, int id) {
        int vlen = records.vlen(id);
        return switch (records.kind(id)) {
            case 1, 14, 17 -> 1;
            case 3 -> 3;
            case 4, 5, 15, 19 -> 3 * vlen;
            case 6, 13 -> 2 * vlen;
            default -> 0;
        };
    }

    /** An int's encoding word: flags (signed, char, bool), bit offset and bit count, often at their limits. */
    private static long intEncoding(Random random) {
        long flags = random.nextInt(16);
        long offset = random.nextInt(4) == 0 ? random.nextInt(256) : 0;
        long bits = new long[]{0, 1, 7, 8, 16, 31, 32, 64, 65, 128, 129, 255}[random.nextInt(12)];
        return (flags << 24) | (offset << 16) | bits;
    }

    /** A replacement for {@code old}: an interesting constant, a neighbour, or noise. */
    private static long value(Random random, long old) {
        return switch (random.nextInt(4)) {
            case 0, 1 -> INTERESTING[random.nextInt(INTERESTING.length)];
            case 2 -> old + random.nextInt(17) - 8;
            default -> random.nextLong();
        };
    }

    private static long get(byte[] bytes, int at, int width) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return switch (width) {
            case 1 -> b.get(at) & 0xff;
            case 2 -> b.getShort(at) & 0xffff;
            case 4 -> b.getInt(at) & 0xffffffffL;
            default -> b.getLong(at);
        };
    }

    private static void put(byte[] bytes, int at, int width, long v, StringBuilder how) {
        how.append(" offset ").append(at).append(" := 0x").append(Long.toHexString(v));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (width) {
            case 1 -> b.put(at, (byte) v);
            case 2 -> b.putShort(at, (short) v);
            case 4 -> b.putInt(at, (int) v);
            default -> b.putLong(at, v);
        }
    }
}
