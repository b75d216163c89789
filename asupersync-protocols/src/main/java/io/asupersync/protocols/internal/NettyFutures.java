package io.asupersync.protocols.internal;

import io.asupersync.Cx;
import io.asupersync.Waker;
import io.netty.util.concurrent.Future;

/** Waiting on Netty futures from runtime tasks. Not API. */
public final class NettyFutures {

  private NettyFutures() {}

  /**
   * Parks the task until {@code future} completes, through the Cx so that cancellation and the task's
   * budget reach the wait (a cancel throws at the checkpoint and leaves the future running). Says nothing
   * about success: the caller reads the future's outcome.
   */
  public static void await(Cx cx, Future<?> future) {
    if (future.isDone()) {
      return;
    }
    Waker waker = cx.waker();
    future.addListener(f -> waker.wake());
    while (!future.isDone()) {
      cx.checkpoint();
      cx.park(null);
    }
  }
}
