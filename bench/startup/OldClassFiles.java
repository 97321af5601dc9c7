import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * For scripts/bench-cds.sh: a copy of bee.jar whose classes under the given prefixes are Java 5 class files
 * again (version 49, no stack maps), as picocli, ASM and x86asm ship them before the build's
 * ModernClassFiles step; to measure what class data sharing does with old class files.
 *
 * Usage: java -cp bee.jar OldClassFiles.java bee.jar old.jar picocli/ [more/prefixes/]
 */
public final class OldClassFiles {
    public static void main(String[] args) throws IOException {
        List<String> prefixes = List.of(args).subList(2, args.length);
        int n = 0;
        try (InputStream fin = Files.newInputStream(Path.of(args[0])); ZipInputStream in = new ZipInputStream(fin);
             OutputStream fout = Files.newOutputStream(Path.of(args[1])); ZipOutputStream out = new ZipOutputStream(fout)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] data = in.readAllBytes();
                if (e.getName().endsWith(".class") && prefixes.stream().anyMatch(e.getName()::startsWith)) {
                    ClassWriter writer = new ClassWriter(0);
                    new ClassReader(data).accept(new ClassVisitor(Opcodes.ASM9, writer) {
                        @Override
                        public void visit(int version, int access, String name, String signature, String superName,
                                          String[] interfaces) {
                            super.visit(Opcodes.V1_5, access, name, signature, superName, interfaces);
                        }
                    }, ClassReader.SKIP_FRAMES);
                    data = writer.toByteArray();
                    n++;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(data);
                out.closeEntry();
            }
        }
        System.err.println("OldClassFiles: " + n + " class files of " + prefixes + " written as Java 5 in " + args[1]);
    }
}
