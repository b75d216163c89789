package io.asupersync.trace;

import java.util.function.Consumer;

/**
 * Receives every trace event as it is recorded, in sequence order, on the recording thread. A sink
 * must be fast and must not block; one that throws is ignored for that event.
 */
@FunctionalInterface
public interface TraceSink {

  void accept(TraceEvent event);

  /** A sink that drops everything. */
  static TraceSink discard() {
    return DiscardSink.INSTANCE;
  }

  /** Adapts a consumer. */
  static TraceSink of(Consumer<TraceEvent> consumer) {
    return consumer::accept;
  }
}

enum DiscardSink implements TraceSink {
  INSTANCE;

  @Override
  public void accept(TraceEvent event) {}
}
