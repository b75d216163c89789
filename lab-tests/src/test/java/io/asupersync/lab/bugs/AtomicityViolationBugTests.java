package io.asupersync.lab.bugs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.Oracle;
import org.junit.jupiter.api.Test;

/** Planted bug (a): order numbers read and written back across a channel reserve ({@link OrderDesk}). */
class AtomicityViolationBugTests {

  static final LabConfig RANDOM = LabConfig.seed(0);
  static final LabConfig PCT = LabConfig.seed(0).withPct(2, 60);

  @Test
  void randomExplorationFindsTheDuplicateOrderNumberAsAPanic() {
    LabRun<Integer> failure = BugHunt.findFirst(RANDOM, 1_000, Oracle.PANIC, OrderDesk.BUGGY);
    assertThat(failure.report()).contains("ledger").contains("issued twice");
  }

  @Test
  void pctExplorationFindsTheDuplicateOrderNumber() {
    LabRun<Integer> failure = BugHunt.findFirst(PCT, 1_000, Oracle.PANIC, OrderDesk.BUGGY);
    assertThat(failure.report()).contains("issued twice").contains("strategy = Strategy.PCT, pctDepth = 2");
  }

  @Test
  void printedSeedAndRecordedChoicesReproduceTheFailureExactly() {
    BugHunt.assertReproducesExactly(BugHunt.findFirst(RANDOM, 1_000, Oracle.PANIC, OrderDesk.BUGGY), OrderDesk.BUGGY);
    BugHunt.assertReproducesExactly(BugHunt.findFirst(PCT, 1_000, Oracle.PANIC, OrderDesk.BUGGY), OrderDesk.BUGGY);
  }

  @Test
  void numberingAfterTheReservePassesEverySeed() {
    BugHunt.assertFixPasses(RANDOM, 1_000, OrderDesk.FIXED);
    BugHunt.assertFixPasses(PCT, 1_000, OrderDesk.FIXED);
  }
}
