package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what Netty reports at WARNING or above: leak reports of the {@code PARANOID} leak detector
 * ({@code LEAK: ...}), exceptions that reached the tail of a pipeline, tasks that threw on an event
 * loop. Any of these means an input escaped the protocol's error handling or leaked a buffer, so the
 * fuzz targets assert there are none. Netty logs through {@code java.util.logging} here (the fuzz module
 * has no SLF4J), and a handler on the {@code io.netty} logger sees every Netty logger whenever it was
 * created; {@link FuzzSession} installs it before any test runs.
 */
final class NettyReports {

  /** Held so the configured logger is not collected and recreated without the handler. */
  private static final Logger NETTY = Logger.getLogger("io.netty");
  private static final List<String> REPORTS = new ArrayList<>();
  private static boolean installed;

  private NettyReports() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    NETTY.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
              String cause = r.getThrown() == null ? "" : " (" + r.getThrown() + ")";
              synchronized (NettyReports.class) {
                REPORTS.add(r.getLoggerName() + ": " + r.getMessage() + cause);
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
  }

  /** The reports since the last call, emptied. */
  static synchronized List<String> drain() {
    List<String> copy = List.copyOf(REPORTS);
    REPORTS.clear();
    return copy;
  }

  static void assertNone(String context) {
    assertThat(drain()).as("Netty warnings and leak reports after %s", context).isEmpty();
  }

  /**
   * Makes the leak detector look for buffers collected without a release: it reports when a tracked
   * buffer is allocated after a GC found one, so collect, then allocate a few.
   */
  static void collectAndAssertNoLeaks(String context) {
    for (int round = 0; round < 3; round++) {
      System.gc();
      for (int i = 0; i < 64; i++) {
        ByteBuf b = (i % 2 == 0 ? Unpooled.buffer(16) : PooledByteBufAllocator.DEFAULT.buffer(16));
        b.release();
      }
    }
    assertNone(context);
  }
}
