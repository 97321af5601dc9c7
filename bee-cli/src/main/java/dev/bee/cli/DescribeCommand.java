package dev.bee.cli;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.disasm.Disassembler;
import dev.bee.core.disasm.Disassembly;
import dev.bee.core.image.ImageConfig;
import dev.bee.core.image.ImageStore;
import dev.bee.core.image.LocalImage;
import dev.bee.core.image.registry.ProgramSource;
import dev.bee.core.image.trust.TrustGate;
import dev.bee.core.image.registry.RegistryClient;
import dev.bee.core.object.BpfObject;
import dev.bee.core.object.ObjectReader;
import dev.bee.core.object.ObjectSections;
import dev.bee.core.object.SectionEntry;
import dev.bee.core.io.Json;
import dev.bee.core.sink.VisibleText;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bee describe FILE.o|REF}: what an object or a local image holds, for people or (with
 * {@code -o json}) scripts. bee's images describe themselves in their config; other tools' images
 * are described from their ELF object. {@code --sections} and {@code --disasm} look inside the object
 * itself (of a file or an image alike): its section table and its code.
 */
@Command(name = "describe", header = "Show the programs, maps and globals of an object or image.",
        description = "Show the programs, maps and globals of an eBPF object, or of a local image with its "
                + "digest, platform and annotations. --sections lists the object's ELF sections and what each "
                + "holds; --disasm shows its bytecode with the C source it came from.")
final class DescribeCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;

    @ParentCommand
    Main bee;

    @Mixin
    FormatOption format;

    @Mixin
    TrustOption trust;

    @Mixin
    RegistryOption registry;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE.o|REF",
            description = "A compiled eBPF object, or a local image.")
    String target;

    @Option(names = "--sections", description = "List every ELF section (index, name, size, kind as llvm-objdump "
            + "--headers shows them, ELF type and flags) and what it holds: programs, maps, globals, BTF, relocations.")
    boolean sections;

    /** The value of a bare {@code --disasm}: every function. */
    private static final String ALL_CODE = "*";

    @Option(names = "--disasm", arity = "0..1", paramLabel = "PROGRAM", fallbackValue = ALL_CODE,
            description = "Disassemble the code (or one program or section) in llvm's BPF syntax, with the C source "
                    + "line above its instructions, helper names, and relocations to maps, globals and CO-RE fields. "
                    + "Put it after FILE.o|REF.")
    String disasm;

    @Override
    public Integer call() {
        if (target == null && disasm != null && !disasm.equals(ALL_CODE)) {
            // "describe --disasm X.o": picocli gave the object to --disasm's optional value.
            target = disasm;
            disasm = ALL_CODE;
        }
        if (target == null) {
            throw new BeeException(ErrorKind.USAGE, "Missing required parameter: 'FILE.o|REF'",
                    "bee describe FILE.o|REF [--sections | --disasm [PROGRAM]] [-o json]");
        }
        if (sections || disasm != null) {
            return code();
        }
        if (ProgramSource.isFile(target)) {
            BpfObject object = ObjectReader.read(Path.of(target));
            System.out.print(format.json() ? Json.pretty(object) + "\n" : VisibleText.lines(ObjectText.render(object)));
            return 0;
        }
        ImageStore store = bee.store();
        LocalImage image = store.open(target);
        TrustGate gate = trust.gate(registry.options());
        String signed = "not checked (give --verify-key KEY or a policy)";
        if (gate.active()) {
            TrustGate.Verdict v = gate.require(ProgramSource.storedRef(target, image), image.digest());
            signed = v.verifiedBy().isEmpty() ? v.reason() : "signed by " + String.join(", ", v.verifiedBy());
        }
        ImageConfig config = image.beeConfig() != null ? image.beeConfig()
                : ImageConfig.of(ObjectReader.read(target, store.objectBytes(image)), null, null);
        ImageDescription d = ImageDescription.of(image, config, signed);
        System.out.print(format.json() ? Json.pretty(d) + "\n" : VisibleText.lines(ImageText.render(d)));
        return 0;
    }

    /** {@code --sections} and {@code --disasm}: views of the object itself, for a file or an image alike. */
    private int code() {
        if (sections && disasm != null) {
            throw new BeeException(ErrorKind.USAGE, "--sections and --disasm are separate views", "give one of them");
        }
        BpfObject object;
        if (ProgramSource.isFile(target)) {
            object = ObjectReader.read(Path.of(target));
        } else {
            ImageStore store = bee.store();
            object = ObjectReader.read(target, store.objectBytes(store.open(target)));
        }
        if (sections) {
            List<SectionEntry> entries = ObjectSections.of(object);
            System.out.print(format.json() ? Json.pretty(entries) + "\n" : SectionsText.render(entries));
        } else {
            Disassembly d = Disassembler.disassemble(object, disasm.equals(ALL_CODE) ? null : disasm);
            System.out.print(format.json() ? Json.pretty(d) + "\n" : DisasmText.render(d));
        }
        return 0;
    }
}
