package io.asupersync.lab.bugs;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.LabRun;
import io.asupersync.lab.Oracle;
import org.junit.jupiter.api.Test;

/** Planted bug (b): a send permit leaked when a cancellation lands between reserve and send ({@link Outbox}). */
class RareCancelObligationLeakBugTests {

  static final LabConfig RANDOM = LabConfig.seed(0).withFaults(FaultPreset.LIGHT);
  static final LabConfig PCT = LabConfig.seed(0).withPct(2, 60).withFaults(FaultPreset.LIGHT);

  @Test
  void withoutFaultsTheLeakNeverShows() {
    BugHunt.assertFixPasses(LabConfig.seed(0), 1_000, Outbox.BUGGY);
  }

  @Test
  void randomExplorationWithLightFaultsFindsTheLeakedPermit() {
    LabRun<?> failure = BugHunt.findFirst(RANDOM, 3_000, Oracle.OBLIGATION_LEAK, Outbox.BUGGY);
    assertThat(failure.report()).contains("publisher").contains("SEND_PERMIT").contains("faults = FaultPreset.LIGHT");
  }

  @Test
  void pctExplorationWithLightFaultsFindsTheLeakedPermit() {
    LabRun<?> failure = BugHunt.findFirst(PCT, 3_000, Oracle.OBLIGATION_LEAK, Outbox.BUGGY);
    assertThat(failure.report()).contains("publisher").contains("SEND_PERMIT");
  }

  @Test
  void printedSeedAndRecordedChoicesReproduceTheLeakExactly() {
    BugHunt.assertReproducesExactly(BugHunt.findFirst(RANDOM, 3_000, Oracle.OBLIGATION_LEAK, Outbox.BUGGY), Outbox.BUGGY);
    BugHunt.assertReproducesExactly(BugHunt.findFirst(PCT, 3_000, Oracle.OBLIGATION_LEAK, Outbox.BUGGY), Outbox.BUGGY);
  }

  @Test
  void abortingInFinallyPassesEverySeed() {
    BugHunt.assertFixPasses(RANDOM, 3_000, Outbox.FIXED);
  }
}
