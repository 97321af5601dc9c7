package dev.bee.core.watch;

import dev.bee.core.decode.EventDecoder;

/** A map whose events are read as they come (ring buffer, perf event array): its name, decoder and counts. */
record EventTarget(String map, EventDecoder decoder, MapStats stats) {
}
