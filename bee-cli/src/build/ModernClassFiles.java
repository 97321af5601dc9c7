import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step (run by bee-cli's pom on the shaded bee.jar, with ASM from that jar): rewrites the class
 * files of the given packages that are older than Java 6 (picocli's are Java 5 class files) as Java 8
 * class files, with the stack maps ASM computes. The JVM's class data sharing leaves pre-Java-6 classes
 * out of its archives, so without this every bee command loads and verifies picocli's classes from the
 * jar, the old slow way, on every start (about 35 ms of `bee --help`'s 195, docs/performance.md). The
 * code is unchanged; the rewritten classes are verified by the JVM like any other (PicocliClassFilesIT).
 *
 * Usage: java -cp bee.jar ModernClassFiles.java bee.jar picocli/ [more/prefixes/]
 */
public final class ModernClassFiles {
    private static final int JAVA_6 = 50;

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        List<String> prefixes = List.of(args).subList(1, args.length);
        // A new file, not createTempFile's (0600; the shade plugin's output is 0600 too): bee.jar gets the mode
        // the umask gives, so that a bee installed for everyone can be run by users other than root.
        Path tmp = jar.toAbsolutePath().resolveSibling("." + jar.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        int rewritten = 0;
        try (InputStream fin = Files.newInputStream(jar); ZipInputStream in = new ZipInputStream(fin);
             OutputStream fout = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW);
             ZipOutputStream out = new ZipOutputStream(fout)) {
            out.setLevel(java.util.zip.Deflater.BEST_COMPRESSION); // bee.jar travels in every packaged image
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                String name = e.getName();
                if (name.endsWith(".class") && prefixes.stream().anyMatch(name::startsWith) && major(data) < JAVA_6) {
                    data = modern(data);
                    rewritten++;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                if (e.getMethod() == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    copy.setMethod(ZipEntry.STORED);
                    copy.setSize(data.length);
                    copy.setCrc(crc.getValue());
                }
                out.putNextEntry(copy);
                out.write(data);
                out.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ModernClassFiles: " + rewritten + " class files of " + prefixes + " rewritten as Java 8 in "
                + jar);
    }

    private static int major(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] modern(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                              String[] interfaces) {
                super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
