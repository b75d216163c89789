package io.asupersync.protocols;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * Task threads carried by the Netty event loop that starts them, for {@code
 * Runtime.builder().threadFactory(EventLoopCarrier.threadFactory())}.
 *
 * <p>A request's task is started on the connection's event loop. With the JVM's shared scheduler, its
 * virtual thread runs on another OS thread: the loop wakes a carrier, the carrier runs the handler, and
 * the response goes back to the loop as a task that wakes it again. Two cross-thread hand-offs per request
 * cost about as much as all the HTTP work (see {@code benchmarks/README.md}). With this factory, a task
 * started on an event loop gets a virtual thread whose carrier is that loop: the handler runs between the
 * loop's I/O passes, and parking (a body read, a channel, a sleep, a lock) still unmounts it, so other
 * connections go on. Tasks started anywhere else (a handler's child tasks, application code) get
 * ordinary virtual threads, so fan-out work runs in parallel on the shared scheduler.
 *
 * <p>The trade: while a handler computes without parking, its event loop serves no I/O, and a call that
 * blocks the OS thread itself (a native call, file I/O on some platforms) blocks the loop. Use it for
 * services whose request handlers are short or wait through the runtime; keep the default otherwise.
 *
 * <p>It needs JDK 24 or later (where {@code synchronized} and {@code Object.wait} unmount a virtual thread
 * instead of pinning its carrier, JEP 491: on older JDKs a handler waiting in a monitor would hold the
 * loop it waits for) and {@code --add-opens java.base/java.lang=ALL-UNNAMED}, because the JDK has no
 * public API yet to choose a virtual thread's scheduler. Without either, {@link #isAvailable()} is false
 * and the factory creates ordinary virtual threads, with one warning.
 */
public final class EventLoopCarrier {

  private static final System.Logger LOG = System.getLogger(EventLoopCarrier.class.getName());
  private static final int MIN_FEATURE_VERSION = 24;
  private static final @Nullable Constructor<?> BUILDER = builderConstructor();
  private static final String NAME = "asupersync";

  private EventLoopCarrier() {}

  /** Whether this JVM lets event loops carry virtual threads (JDK 24+, {@code java.lang} opened). */
  public static boolean isAvailable() {
    return BUILDER != null;
  }

  /**
   * A factory of virtual threads carried by the calling event loop when called on one, on the shared
   * scheduler otherwise (and always when {@link #isAvailable()} is false). A loop-carried thread is named
   * {@code asupersync@} and its loop's name, the others {@code asupersync}: a thread dump tells them
   * apart by that and by thread id. (A numbered name per thread cost a string concatenation on every
   * request.)
   */
  public static ThreadFactory threadFactory() {
    if (BUILDER == null) {
      LOG.log(
          System.Logger.Level.WARNING,
          "event-loop carriers need JDK " + MIN_FEATURE_VERSION + "+ and --add-opens java.base/java.lang=ALL-UNNAMED;"
              + " tasks use the shared virtual-thread scheduler");
    }
    return new Factory();
  }

  private static @Nullable Constructor<?> builderConstructor() {
    if (java.lang.Runtime.version().feature() < MIN_FEATURE_VERSION) {
      return null;
    }
    try {
      Constructor<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
      c.setAccessible(true);
      return c;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // InaccessibleObjectException without the add-opens; NoSuchMethodException if a JDK drops it
      return null;
    }
  }

  /**
   * Virtual threads on the JVM's own scheduler. Named explicitly: a virtual thread started by another
   * inherits that thread's scheduler, so a loop-carried handler's children would all land on its loop.
   */
  private static ThreadFactory sharedScheduler() {
    Constructor<?> c = BUILDER;
    if (c != null) {
      try {
        Field scheduler = Class.forName("java.lang.VirtualThread").getDeclaredField("DEFAULT_SCHEDULER");
        scheduler.setAccessible(true);
        return ((Thread.Builder) c.newInstance((Executor) scheduler.get(null))).name(NAME).factory();
      } catch (ReflectiveOperationException | RuntimeException e) {
        // Unknown JDK layout: children inherit their parent's carrier (the loop), which is still correct.
      }
    }
    return Thread.ofVirtual().name(NAME).factory();
  }

  private static final class Factory implements ThreadFactory {
    private static final ThreadFactory SHARED = sharedScheduler();
    /** One builder per event-loop thread: builders are not thread-safe, and each holds its loop. */
    private static final FastThreadLocal<Thread.@Nullable Builder> LOOP_BUILDERS =
        new FastThreadLocal<>() {
          @Override
          protected Thread.@Nullable Builder initialValue() throws ReflectiveOperationException {
            EventExecutor loop = ThreadExecutorMap.currentExecutor();
            Constructor<?> c = BUILDER;
            return loop == null || c == null
                ? null
                : ((Thread.Builder) c.newInstance(new LoopExecutor(loop))).name(NAME + "@" + Thread.currentThread().getName());
          }
        };

    @Override
    public Thread newThread(Runnable task) {
      // inEventLoop: a virtual thread the loop carries sees the loop as its current executor too
      EventExecutor loop = BUILDER == null ? null : ThreadExecutorMap.currentExecutor();
      Thread.Builder onLoop = loop != null && loop.inEventLoop() ? LOOP_BUILDERS.get() : null;
      return onLoop != null ? onLoop.unstarted(task) : SHARED.newThread(task);
    }
  }

  /**
   * Runs a virtual thread's continuation on its loop; once the loop stopped taking tasks (the server
   * shut down while a task was parked), on the common pool, so the task can still finish its cleanup.
   */
  private record LoopExecutor(EventExecutor loop) implements Executor {
    @Override
    public void execute(Runnable continuation) {
      if (!loop.isShutdown()) {
        try {
          loop.execute(continuation);
          return;
        } catch (RejectedExecutionException e) {
          // stopped between the check and the submit
        }
      }
      ForkJoinPool.commonPool().execute(continuation);
    }
  }
}
