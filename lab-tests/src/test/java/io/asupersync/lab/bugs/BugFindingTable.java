package io.asupersync.lab.bugs;

import io.asupersync.TaskBody;
import io.asupersync.lab.Explorer;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.Oracle;
import io.asupersync.lab.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures how many runs random seeds and PCT need to find each planted bug: runs to the first
 * failure from base seed 0 (what the tests see), and the median and maximum over 20 sweeps from
 * other base seeds. Prints the table of lab-tests/README.md. Run with {@code java -cp ...
 * io.asupersync.lab.bugs.BugFindingTable}; it is not a test.
 */
public final class BugFindingTable {

  private static final int SWEEPS = 20;
  private static final int BUDGET = 20_000;

  private BugFindingTable() {}

  public static void main(String[] args) {
    System.out.println("| bug | oracle | strategy | runs to find (base seed 0) | median / max over " + SWEEPS + " sweeps |");
    System.out.println("|---|---|---|---|---|");
    row("(a) atomicity violation, OrderDesk", Oracle.PANIC, LabConfig.seed(0), OrderDesk.BUGGY);
    row("(a) atomicity violation, OrderDesk", Oracle.PANIC, LabConfig.seed(0).withPct(2, 60), OrderDesk.BUGGY);
    row("(b) leak on a rare cancel path, Outbox", Oracle.OBLIGATION_LEAK, LabConfig.seed(0).withFaults(FaultPreset.LIGHT), Outbox.BUGGY);
    row("(b) leak on a rare cancel path, Outbox", Oracle.OBLIGATION_LEAK, LabConfig.seed(0).withPct(2, 60).withFaults(FaultPreset.LIGHT), Outbox.BUGGY);
    row("(c) lock-order deadlock, Transfers", Oracle.DEADLOCK, LabConfig.seed(0), Transfers.BUGGY);
    row("(c) lock-order deadlock, Transfers", Oracle.DEADLOCK, LabConfig.seed(0).withPct(2, 30), Transfers.BUGGY);
  }

  private static <T> void row(String bug, Oracle oracle, LabConfig base, TaskBody<T> scenario) {
    long first = runsToFind(base, oracle, scenario);
    List<Long> sweeps = new ArrayList<>();
    for (int i = 1; i <= SWEEPS; i++) {
      sweeps.add(runsToFind(base.withSeed(i * 1_000_003L), oracle, scenario));
    }
    Collections.sort(sweeps);
    String strategy = base.strategy() == Strategy.PCT
        ? "PCT depth " + base.pctDepth() + ", pctSteps " + base.pctExpectedSteps()
        : "RANDOM";
    strategy += base.faults() == FaultPreset.NONE ? "" : ", faults " + base.faults();
    System.out.println("| " + bug + " | " + oracle.id() + " | " + strategy + " | " + first + " | "
        + sweeps.get(SWEEPS / 2) + " / " + sweeps.getLast() + " |");
  }

  private static <T> long runsToFind(LabConfig base, Oracle oracle, TaskBody<T> scenario) {
    Explorer.Exploration<T> e = Explorer.explore(base, BUDGET, true, scenario);
    LabRun<T> failure = e.firstFailure().orElseThrow(() -> new AssertionError("not found in " + BUDGET + " runs"));
    if (!failure.violated(oracle)) {
      throw new AssertionError("expected " + oracle.id() + ":\n" + failure.report());
    }
    return e.runsToFirstFailure(base.seed());
  }
}
