package dev.bee.core.attach;

import dev.bee.core.libbpf.LinkHandle;

import java.util.List;

/** Attachments made of libbpf links (and possibly fds to close after them). */
final class LinkAttachment implements Attachment {
    private final String description;
    private final List<LinkHandle> links;
    private final Runnable after;

    LinkAttachment(String description, List<LinkHandle> links, Runnable after) {
        this.description = description;
        this.links = List.copyOf(links);
        this.after = after;
    }

    static LinkAttachment of(String program, LinkHandle link) {
        return new LinkAttachment(program + " -> " + link.description(), List.of(link), null);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public boolean detachesConcurrently() {
        return after == null;
    }

    @Override
    public void close() {
        for (LinkHandle l : links) {
            try {
                l.close();
            } catch (RuntimeException e) {
                // keep detaching the rest
            }
        }
        if (after != null) {
            after.run();
        }
    }
}
