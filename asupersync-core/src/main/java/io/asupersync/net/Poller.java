package io.asupersync.net;

import io.asupersync.Waker;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.jspecify.annotations.Nullable;

/**
 * The one selector thread of the JVM: a platform daemon thread, started on first use, that turns
 * channel readiness into {@link Waker#wake()}. Interest is one-shot: once a channel is ready for an
 * operation the waiter is woken and the interest dropped; the waiter retries the non-blocking call and
 * re-arms if it still has to wait. Registration changes run on the selector thread itself (queued,
 * then {@link Selector#wakeup()}), so no caller ever blocks on the selector.
 */
final class Poller {
  private static final System.Logger LOG = System.getLogger("io.asupersync.net.Poller");
  private static final Object LOCK = new Object();
  private static volatile @Nullable Poller instance;

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();

  private Poller(Selector selector) {
    this.selector = selector;
  }

  static Poller get() throws NetException {
    Poller p = instance;
    if (p != null) {
      return p;
    }
    synchronized (LOCK) {
      p = instance;
      if (p == null) {
        Selector selector;
        try {
          selector = Selector.open();
        } catch (IOException e) {
          throw NetErrors.map(e, "cannot open the socket selector");
        }
        p = new Poller(selector);
        Thread.ofPlatform().daemon().name("asupersync-net-poller").start(p::loop);
        instance = p;
      }
      return p;
    }
  }

  /**
   * Lets the selector drop the keys of channels closed since its last pass: the JDK closes the file
   * descriptor of a registered channel only then, so without it the peer would see the close late.
   */
  static void flushClosed() {
    Poller p = instance;
    if (p != null) {
      p.selector.wakeup();
    }
  }

  /** Wakes {@code waker} once {@code channel} is ready for {@code op} (or closed); one shot. */
  void arm(SelectableChannel channel, int op, Waker waker) {
    commands.add(() -> doArm(channel, op, waker));
    selector.wakeup();
  }

  /** Forgets {@code waker}'s interest in {@code op}, if it is still the armed one. */
  void disarm(SelectableChannel channel, int op, Waker waker) {
    commands.add(() -> doDisarm(channel, op, waker));
    selector.wakeup();
  }

  // ---- selector thread

  private void loop() {
    while (true) {
      try {
        for (Runnable c; (c = commands.poll()) != null; ) {
          c.run();
        }
        selector.select();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          Interest interest = (Interest) key.attachment();
          try {
            int ready = key.readyOps();
            key.interestOps(key.interestOps() & ~ready);
            interest.wake(ready);
          } catch (CancelledKeyException e) {
            interest.wake(-1);
          }
        }
      } catch (ClosedSelectorException e) {
        LOG.log(System.Logger.Level.ERROR, "socket selector closed; the poller stops", e);
        return;
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "socket poller pass failed; continuing", e);
      }
    }
  }

  private void doArm(SelectableChannel channel, int op, Waker waker) {
    try {
      SelectionKey key = channel.keyFor(selector);
      if (key == null) {
        key = channel.register(selector, 0, new Interest());
      }
      ((Interest) key.attachment()).set(op, waker);
      key.interestOps(key.interestOps() | op);
    } catch (ClosedChannelException | CancelledKeyException e) {
      waker.wake(); // the waiter retries and sees the closed channel
    }
  }

  private void doDisarm(SelectableChannel channel, int op, Waker waker) {
    SelectionKey key = channel.keyFor(selector);
    if (key == null || !key.isValid()) {
      return;
    }
    Interest interest = (Interest) key.attachment();
    if (interest.clear(op, waker)) {
      try {
        key.interestOps(key.interestOps() & ~op);
      } catch (CancelledKeyException e) {
        // closed meanwhile: nothing to forget
      }
    }
  }

  /** The waiters of one channel, one slot per operation bit. Touched only by the selector thread. */
  private static final class Interest {
    private final @Nullable Waker[] byOp = new Waker[5];

    void set(int op, Waker waker) {
      byOp[Integer.numberOfTrailingZeros(op)] = waker;
    }

    boolean clear(int op, Waker waker) {
      int i = Integer.numberOfTrailingZeros(op);
      if (byOp[i] == waker) {
        byOp[i] = null;
        return true;
      }
      return false;
    }

    /** Wakes (and forgets) the waiters of every ready operation; all of them when {@code ready} is -1. */
    void wake(int ready) {
      for (int i = 0; i < byOp.length; i++) {
        Waker w = byOp[i];
        if (w != null && (ready & (1 << i)) != 0) {
          byOp[i] = null;
          w.wake();
        }
      }
    }
  }
}
