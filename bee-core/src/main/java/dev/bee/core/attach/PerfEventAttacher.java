package dev.bee.core.attach;

import dev.bee.core.Plural;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.LinkHandle;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.Fds;
import dev.bee.core.libbpf.PerfEvents;
import dev.bee.core.object.ProgramSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code perf_event}: a CPU-clock sampling event on every online CPU at {@code --perf-freq} Hz. */
final class PerfEventAttacher implements Attacher {
    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        List<LinkHandle> links = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        Runnable closeFds = () -> fds.forEach(Fds::close);
        try {
            for (int cpu : onlineCpus()) {
                int fd = PerfEvents.openCpuClock(cpu, options.perfFrequency());
                fds.add(fd);
                links.add(program.attachPerfEvent(fd, "cpu-clock on CPU " + cpu));
            }
        } catch (LibbpfException e) {
            links.forEach(LinkHandle::close);
            closeFds.run();
            throw AttachErrors.failed(spec, "perf event cpu-clock at " + options.perfFrequency() + " Hz", e, null,
                    e.call().equals("perf_event_open") ? "check /proc/sys/kernel/perf_event_paranoid and run as root"
                            : null);
        }
        return new LinkAttachment(spec.name() + " -> cpu-clock at " + options.perfFrequency() + " Hz on "
                + Plural.of(links.size(), "CPU"), links, closeFds);
    }

    static List<Integer> onlineCpus() {
        List<Integer> out = new ArrayList<>();
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/online")).trim();
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                int a = Integer.parseInt(r[0]);
                int b = r.length > 1 ? Integer.parseInt(r[1]) : a;
                for (int c = a; c <= b; c++) {
                    out.add(c);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (int c = 0; c < Runtime.getRuntime().availableProcessors(); c++) {
                out.add(c);
            }
        }
        return out;
    }
}
