package io.asupersync.lab.bugs;

import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.channel.ChannelClosedException;
import io.asupersync.channel.MpscChannel;
import io.asupersync.channel.SendPermit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Planted bug (a), an atomicity violation: two clerks number orders from a shared counter and queue
 * them on a channel to the ledger. The buggy clerk reads the next number, reserves a channel slot (a
 * yield point: the other clerk may run) and only then writes the counter back, so both clerks can
 * issue the same number. The ledger checks that numbers are unique.
 */
final class OrderDesk {

  private OrderDesk() {}

  static final TaskBody<Integer> BUGGY = desk(false);
  static final TaskBody<Integer> FIXED = desk(true);

  private static TaskBody<Integer> desk(boolean fixed) {
    return cx -> {
      MpscChannel<Integer> orders = MpscChannel.bounded(4);
      int[] nextNumber = {1};
      Set<Integer> booked = new HashSet<>();
      cx.scope(s -> {
        TaskHandle<Void> ledger = s.spawn("ledger", c -> {
          try {
            while (true) {
              int number = orders.recv(c);
              if (!booked.add(number)) {
                throw new IllegalStateException("order number " + number + " issued twice");
              }
            }
          } catch (ChannelClosedException closed) {
            return null;
          }
        });
        List<TaskHandle<Void>> clerks = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
          clerks.add(s.spawn("clerk" + k, c -> {
            for (int i = 0; i < 3; i++) {
              c.sleep(Duration.ofMillis(1 + c.random().nextInt(10))); // serve the customer
              if (fixed) {
                SendPermit<Integer> slot = orders.reserve(c);
                slot.send(nextNumber[0]++); // no yield point between reading and writing the counter
              } else {
                int number = nextNumber[0];
                SendPermit<Integer> slot = orders.reserve(c); // yield point: the other clerk may run
                nextNumber[0] = number + 1;
                slot.send(number);
              }
            }
            return null;
          }));
        }
        for (TaskHandle<Void> clerk : clerks) {
          clerk.join(s).orThrow();
        }
        orders.close();
        ledger.join(s).orThrow();
        return null;
      }).orThrow();
      return booked.size();
    };
  }
}
