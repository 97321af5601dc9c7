package dev.bee.core.attach;

import dev.bee.core.Plural;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.LinkHandle;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.Fds;
import dev.bee.core.libbpf.PerfEvents;
import dev.bee.core.object.ProgramSpec;

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
            for (int cpu : dev.bee.core.kernel.OnlineCpus.read()) {
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
}
