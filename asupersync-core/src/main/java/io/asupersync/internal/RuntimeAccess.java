package io.asupersync.internal;

import io.asupersync.Clock;
import io.asupersync.Cx;
import io.asupersync.Runtime;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Lets core packages install a {@link TaskScheduler} on a {@link Runtime.Builder} and keep
 * runtime-scoped state, without making either part of the public API. Not API.
 */
public final class RuntimeAccess {
  private static volatile @Nullable BiConsumer<Runtime.Builder, Function<Clock, TaskScheduler>> installer;
  private static volatile @Nullable Function<Cx, ConcurrentMap<Class<?>, Object>> attachments;

  private RuntimeAccess() {}

  /** Called once by {@link Runtime.Builder}'s class initializer. */
  public static void register(BiConsumer<Runtime.Builder, Function<Clock, TaskScheduler>> value) {
    installer = value;
  }

  /** Makes {@code builder} create its runtime with the scheduler that {@code factory} returns. */
  public static Runtime.Builder withScheduler(
      Runtime.Builder builder, Function<Clock, TaskScheduler> factory) {
    BiConsumer<Runtime.Builder, Function<Clock, TaskScheduler>> i = installer;
    if (i == null) {
      throw new IllegalStateException("Runtime.Builder did not register its scheduler hook");
    }
    i.accept(builder, factory);
    return builder;
  }

  /** Called once by {@link Cx}'s class initializer. */
  public static void registerAttachments(Function<Cx, ConcurrentMap<Class<?>, Object>> value) {
    attachments = value;
  }

  /**
   * The instance of {@code type} that belongs to the runtime {@code cx} runs in, created by {@code
   * factory} on first use and kept for the runtime's lifetime (the lab's in-memory network and file
   * system live here, one per lab run).
   */
  public static <T> T attachment(Cx cx, Class<T> type, Supplier<? extends T> factory) {
    Function<Cx, ConcurrentMap<Class<?>, Object>> a = attachments;
    if (a == null) {
      throw new IllegalStateException("Cx did not register its attachment hook");
    }
    return type.cast(a.apply(cx).computeIfAbsent(type, k -> factory.get()));
  }
}
