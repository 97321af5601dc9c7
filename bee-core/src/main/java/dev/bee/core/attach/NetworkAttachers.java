package dev.bee.core.attach;

import dev.bee.core.BeeException;
import dev.bee.core.ErrorKind;
import dev.bee.core.libbpf.LibbpfException;
import dev.bee.core.libbpf.ProgramHandle;
import dev.bee.core.libbpf.Fds;
import dev.bee.core.libbpf.PacketSockets;
import dev.bee.core.object.ProgramSpec;

import java.util.List;

/** Network hooks: xdp on {@code --iface}, socket filters on a packet socket (tc is {@link TcAttacher}). */
final class NetworkAttachers {
    private NetworkAttachers() {
    }

    static int ifindex(ProgramSpec spec, AttachOptions options, boolean required) {
        if (options.iface() == null) {
            if (!required) {
                return 0;
            }
            throw AttachErrors.needs(spec, "a network interface", "add --iface NAME (see 'ip link'), e.g. --iface lo");
        }
        int idx = PacketSockets.interfaceIndex(options.iface());
        if (idx <= 0) {
            throw new BeeException(ErrorKind.NOT_FOUND, "no network interface named '" + options.iface() + "'",
                    "list interfaces with 'ip link'");
        }
        return idx;
    }

    /** {@code xdp}: attached with a link (detached when bee exits). */
    static final class Xdp implements Attacher {
        @Override
        public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
            int idx = ifindex(spec, options, true);
            try {
                return LinkAttachment.of(spec.name(), program.attachXdp(idx, options.iface()));
            } catch (LibbpfException e) {
                throw AttachErrors.failed(spec, "xdp on " + options.iface(), e, null,
                        "another XDP program may already be attached: see 'ip link show " + options.iface() + "'");
            }
        }
    }

    /** {@code socket}: a packet socket on {@code --iface} (or every interface) with the filter attached. */
    static final class SocketFilter implements Attacher {
        @Override
        public Attachment attach(ProgramSpec spec, ProgramHandle program, AttachOptions options) {
            int idx = ifindex(spec, options, false);
            int fd;
            try {
                fd = PacketSockets.withFilter(idx, program.fd());
            } catch (LibbpfException e) {
                throw AttachErrors.failed(spec, "a packet socket", e, null, null);
            }
            String d = spec.name() + " -> packet socket on " + (options.iface() == null ? "all interfaces" : options.iface());
            return new LinkAttachment(d, List.of(), () -> Fds.close(fd));
        }
    }
}
