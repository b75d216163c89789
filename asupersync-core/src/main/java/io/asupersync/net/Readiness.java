package io.asupersync.net;

import io.asupersync.Cx;
import java.nio.channels.SelectableChannel;
import org.jspecify.annotations.Nullable;

/**
 * One task waiting for one operation on one channel: {@link #await()} arms the poller and parks the
 * task (cancel-aware, bounded by the budget deadline); {@link #abandon()} forgets the interest when the
 * operation ends without the poller having fired, so no stale wake-up reaches the task later.
 */
final class Readiness {
  private final Cx cx;
  private final SelectableChannel channel;
  private final int op;
  private @Nullable Poller armed;

  Readiness(Cx cx, SelectableChannel channel, int op) {
    this.cx = cx;
    this.channel = channel;
    this.op = op;
  }

  void await() throws NetException {
    Poller p = Poller.get();
    p.arm(channel, op, cx.waker());
    armed = p;
    cx.park(null);
  }

  void abandon() {
    Poller p = armed;
    if (p != null) {
      p.disarm(channel, op, cx.waker());
    }
  }
}
