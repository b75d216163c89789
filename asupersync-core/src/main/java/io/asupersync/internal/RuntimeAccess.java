package io.asupersync.internal;

import io.asupersync.Clock;
import io.asupersync.Runtime;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Lets core packages install a {@link TaskScheduler} on a {@link Runtime.Builder} without making it
 * part of the builder's public API. Not API.
 */
public final class RuntimeAccess {
  private static volatile @Nullable BiConsumer<Runtime.Builder, Function<Clock, TaskScheduler>> installer;

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
}
