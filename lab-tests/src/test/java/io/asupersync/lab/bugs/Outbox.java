package io.asupersync.lab.bugs;

import io.asupersync.Cx;
import io.asupersync.ObligationState;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.channel.SendPermit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Planted bug (b), an obligation leaked only on a rare cancel path: a publisher reserves a slot on
 * the outbox, renders the notification, then sends it. Rendering may fail with a declared error,
 * which the buggy publisher handles by aborting the slot; but a cancellation that arrives while it
 * renders (between reserve and send) skips the handler and the slot leaks. Only injected faults
 * cancel here, so the leak shows on a small fraction of seeds.
 */
final class Outbox {

  private Outbox() {}

  static final TaskBody<List<String>> BUGGY = outbox(false);
  static final TaskBody<List<String>> FIXED = outbox(true);

  private static String render(Cx c, int n) throws IOException {
    c.checkpoint(); // look up the template: a cancellation point
    if (c.random().nextInt(5) == 0) {
      throw new IOException("template for notification " + n + " is missing");
    }
    return "notification " + n;
  }

  private static TaskBody<List<String>> outbox(boolean fixed) {
    return cx -> {
      MpscChannel<String> outbox = MpscChannel.bounded(8);
      List<String> delivered = new ArrayList<>();
      TaskHandle<Void> mailer = cx.spawn("mailer", c -> {
        try {
          while (true) {
            delivered.add(outbox.recv(c));
          }
        } catch (ChannelClosedException closed) {
          return null;
        }
      });
      TaskHandle<Void> publisher = cx.spawn("publisher", c -> {
        for (int n = 0; n < 6; n++) {
          SendPermit<String> slot = outbox.reserve(c);
          if (fixed) {
            try {
              slot.send(render(c, n));
            } catch (IOException e) {
              // skip this notification
            } finally {
              if (slot.state() == ObligationState.RESERVED) {
                slot.abort();
              }
            }
          } else {
            String body;
            try {
              body = render(c, n);
            } catch (IOException e) {
              slot.abort(); // the declared failure is handled; a cancellation is not
              continue;
            }
            slot.send(body);
          }
        }
        return null;
      });
      publisher.join(cx);
      outbox.close();
      mailer.join(cx);
      return delivered;
    };
  }
}
