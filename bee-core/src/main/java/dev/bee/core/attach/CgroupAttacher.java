package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.LinkHandle;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.Fds;
import dev.bee.core.object.ProgramSpec;

import java.nio.file.Files;
import java.util.List;

/** {@code cgroup_skb/*}, {@code cgroup/*}, {@code sockops}: attached to the cgroup v2 folder {@code --cgroup}. */
final class CgroupAttacher implements Attacher {
    @Override
    public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
        if (options.cgroup() == null) {
            throw AttachErrors.needs(spec, "a cgroup",
                    "add --cgroup PATH, e.g. --cgroup /sys/fs/cgroup for the whole machine");
        }
        if (!Files.isDirectory(options.cgroup())) {
            throw new BeeException(ErrorKind.NOT_FOUND, "cgroup " + options.cgroup() + " does not exist",
                    "give a folder of the cgroup v2 hierarchy, e.g. /sys/fs/cgroup");
        }
        int fd = Fds.openReadOnly(options.cgroup().toString());
        try {
            LinkHandle link = program.attachCgroup(fd, options.cgroup().toString());
            return new LinkAttachment(spec.name() + " -> " + link.description(), List.of(link), () -> Fds.close(fd));
        } catch (LibbpfException e) {
            Fds.close(fd);
            throw AttachErrors.failed(spec, "cgroup " + options.cgroup(), e, null,
                    "the folder must be a cgroup v2 folder (mount -t cgroup2 none /sys/fs/cgroup)");
        }
    }
}
