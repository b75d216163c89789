package io.asupersync.lab.bugs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.Oracle;
import org.junit.jupiter.api.Test;

/** Planted bug (c): two tellers lock two accounts in opposite orders ({@link Transfers}). */
class LockOrderDeadlockBugTests {

  static final LabConfig RANDOM = LabConfig.seed(0);
  static final LabConfig PCT = LabConfig.seed(0).withPct(2, 30);

  @Test
  void randomExplorationFindsTheDeadlockAndTheRunStillEnds() {
    LabRun<Long> failure = BugHunt.findFirst(RANDOM, 1_000, Oracle.DEADLOCK, Transfers.BUGGY);
    assertThat(failure.report()).contains("teller0").contains("teller1");
    assertThat(failure.outcome()).as("the deadlocked run was unwound, not left hanging").isNotNull();
  }

  @Test
  void pctExplorationFindsTheDeadlock() {
    LabRun<Long> failure = BugHunt.findFirst(PCT, 1_000, Oracle.DEADLOCK, Transfers.BUGGY);
    assertThat(failure.report()).contains("teller0").contains("teller1");
  }

  @Test
  void printedSeedAndRecordedChoicesReproduceTheDeadlockExactly() {
    BugHunt.assertReproducesExactly(BugHunt.findFirst(RANDOM, 1_000, Oracle.DEADLOCK, Transfers.BUGGY), Transfers.BUGGY);
    BugHunt.assertReproducesExactly(BugHunt.findFirst(PCT, 1_000, Oracle.DEADLOCK, Transfers.BUGGY), Transfers.BUGGY);
  }

  @Test
  void lockingInOneGlobalOrderPassesEverySeed() {
    BugHunt.assertFixPasses(RANDOM, 1_000, Transfers.FIXED);
    BugHunt.assertFixPasses(PCT, 1_000, Transfers.FIXED);
  }
}
