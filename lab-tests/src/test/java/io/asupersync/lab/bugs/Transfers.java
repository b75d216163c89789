package io.asupersync.lab.bugs;

import io.asupersync.Cx;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.sync.Mutex;
import java.time.Duration;

/**
 * Planted bug (c), a deadlock: two tellers move money between the same two accounts, each locking
 * the account it debits first and the one it credits second, with an audit checkpoint in between.
 * When each teller holds its first lock, neither can take its second. The fix locks accounts in one
 * global order.
 */
final class Transfers {

  private Transfers() {}

  static final TaskBody<Long> BUGGY = bank(false);
  static final TaskBody<Long> FIXED = bank(true);

  private static final class Account {
    final int id;
    final Mutex lock = new Mutex();
    long balance = 100;

    Account(int id) {
      this.id = id;
    }
  }

  @SuppressWarnings("try") // the guards are held for their scope, not referenced
  private static void transfer(Cx c, Account from, Account to, long amount, boolean ordered) {
    Account first = ordered && to.id < from.id ? to : from;
    Account second = first == from ? to : from;
    try (Mutex.Guard a = first.lock.lock(c)) {
      c.checkpoint(); // write the audit record
      try (Mutex.Guard b = second.lock.lock(c)) {
        from.balance -= amount;
        to.balance += amount;
      }
    }
  }

  private static TaskBody<Long> bank(boolean fixed) {
    return cx -> {
      Account checking = new Account(1);
      Account savings = new Account(2);
      TaskHandle<Void> payroll = cx.spawn("teller0", c -> {
        for (int i = 0; i < 2; i++) {
          c.sleep(Duration.ofMillis(c.random().nextInt(15)));
          transfer(c, checking, savings, 10, fixed);
        }
        return null;
      });
      TaskHandle<Void> refunds = cx.spawn("teller1", c -> {
        for (int i = 0; i < 2; i++) {
          c.sleep(Duration.ofMillis(c.random().nextInt(15)));
          transfer(c, savings, checking, 5, fixed);
        }
        return null;
      });
      payroll.join(cx).orThrow();
      refunds.join(cx).orThrow();
      return checking.balance + savings.balance;
    };
  }
}
