package io.asupersync.protocols;

import io.asupersync.Runtime;
import io.netty.channel.DefaultEventLoop;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Run by {@link EventLoopCarrierTests} in a JVM without {@code --add-opens java.base/java.lang}: prints
 * whether carriers are available and where a task started on an event loop ran.
 */
final class EventLoopCarrierProbe {

  private EventLoopCarrierProbe() {}

  public static void main(String[] args) throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    AtomicReference<String> ran = new AtomicReference<>();
    try (Runtime runtime = Runtime.builder().threadFactory(EventLoopCarrier.threadFactory()).build()) {
      EventLoopCarrierTests.finished(loop.submit(() -> runtime.spawn("probe", cx -> {
        ran.set(EventLoopCarrierTests.currentCarrier());
        return null;
      })).get(5, TimeUnit.SECONDS));
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    System.out.println("available=" + EventLoopCarrier.isAvailable());
    System.out.println("carrier=" + ran.get());
  }
}
