package io.asupersync.lab.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import io.asupersync.Cx;
import io.asupersync.ObligationKind;
import io.asupersync.TaskHandle;
import io.asupersync.lab.FaultPreset;
import io.asupersync.lab.LabConfig;
import io.asupersync.lab.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The extension's contract, checked by launching fixture tests through the JUnit Platform. */
class LabTestExtensionTests {

  private static final String FIXTURES = "asupersync.lab.fixtures";

  @Test
  void everySeedOfTheSweepRunsInOneInvocationWithTheLabContext() {
    Fixtures.seen.clear();
    Launched launched = launch("sweep", Map.of());
    assertThat(launched.finished).containsExactly("seeds 40..49 (RANDOM): SUCCESSFUL");
    assertThat(Fixtures.seen).containsExactlyInAnyOrder(40L, 41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L);
  }

  @Test
  void invocationPerSeedNamesEachInvocationAfterItsSeed() {
    Launched launched = launch("perSeed", Map.of());
    assertThat(launched.finished)
        .containsExactly(
            "seed 7 (PCT depth 2, pctSteps 1000, faults LIGHT): SUCCESSFUL",
            "seed 8 (PCT depth 2, pctSteps 1000, faults LIGHT): SUCCESSFUL",
            "seed 9 (PCT depth 2, pctSteps 1000, faults LIGHT): SUCCESSFUL");
  }

  @Test
  void failedAssertionInsideASpawnedTaskFailsWithTheReportAndItsReproduction() {
    Launched launched = launch("failsOnSomeSchedule", Map.of());
    assertThat(launched.finished).singleElement().asString().startsWith("seeds 0..199 (RANDOM): FAILED");
    Throwable failure = launched.failures.getFirst();
    assertThat(failure.getMessage())
        .contains("Lab run FAILED")
        .contains("panic")
        .contains("both workers saw the flag down")
        .contains("reproduce: @LabTest(seed = ")
        .contains("-Dasupersync.lab.seed=");
  }

  @Test
  void seedPropertyRestrictsTheTemplateToTheReportedSeed() {
    Launched first = launch("failsOnSomeSchedule", Map.of());
    String message = first.failures.getFirst().getMessage();
    String seed = message.substring(message.indexOf("-Dasupersync.lab.seed=") + 22).lines().findFirst().orElseThrow();
    Launched again = launch("failsOnSomeSchedule", Map.of(LabTestExtension.SEED_PROPERTY, seed));
    assertThat(again.finished).containsExactly("seed " + seed + " (RANDOM): FAILED");
    assertThat(again.failures.getFirst().getMessage()).isEqualTo(message.replaceFirst(" at run \\d+ of 200", ""));
  }

  @Test
  void oracleViolationFailsTheTestNamingTheOracle() {
    Launched launched = launch("leaksAnObligation", Map.of());
    assertThat(launched.failures.getFirst().getMessage()).contains("obligation_leak").contains("forgetful");
  }

  @Test
  void cancelledBodyFailsWithoutFaultsButIsAnAcceptedEndingUnderFaults() {
    assertThat(launch("cancelsItself", Map.of()).finished).singleElement().asString().contains("FAILED");
    assertThat(launch("cancelledByFaults", Map.of()).finished).singleElement().asString().contains("SUCCESSFUL");
  }

  private static Launched launch(String method, Map<String, String> parameters) {
    Class<?>[] types = Fixtures.parameterTypes(method);
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(selectMethod(Fixtures.class, method, names(types)))
            .configurationParameter(FIXTURES, "true")
            .configurationParameters(parameters)
            .build();
    Launched launched = new Launched();
    LauncherFactory.create().execute(request, launched);
    return launched;
  }

  private static String names(Class<?>[] types) {
    return String.join(",", java.util.Arrays.stream(types).map(Class::getName).toList());
  }

  private static final class Launched implements TestExecutionListener {
    final List<String> finished = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (id.isTest()) {
        finished.add(id.getDisplayName() + ": " + result.getStatus());
        result.getThrowable().ifPresent(failures::add);
      }
    }
  }

  /** Runs fixtures only when launched by the tests above, never by a plain class scan. */
  static final class OnlyWhenLaunched implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(FIXTURES).isPresent()
          ? ConditionEvaluationResult.enabled("launched by LabTestExtensionTests")
          : ConditionEvaluationResult.disabled("fixture for LabTestExtensionTests");
    }
  }

  @ExtendWith(OnlyWhenLaunched.class)
  static class Fixtures {
    static final Set<Long> seen = ConcurrentHashMap.newKeySet();

    static Class<?>[] parameterTypes(String name) {
      for (java.lang.reflect.Method m : Fixtures.class.getDeclaredMethods()) {
        if (m.getName().equals(name)) {
          return m.getParameterTypes();
        }
      }
      throw new IllegalArgumentException(name);
    }

    @LabTest(seed = 40, runs = 10)
    void sweep(Cx cx, LabConfig config, long seed) throws Exception {
      assertThat(config.seed()).isEqualTo(seed);
      assertThat(cx.isLab()).isTrue();
      TaskHandle<Integer> child = cx.spawn(c -> 20);
      assertThat(child.join(cx).orThrow()).isEqualTo(20);
      seen.add(seed);
    }

    @LabTest(seed = 7, runs = 3, strategy = Strategy.PCT, pctDepth = 2, faults = FaultPreset.LIGHT, invocationPerSeed = true)
    void perSeed(Cx cx) {
      cx.checkpoint();
    }

    /** Two workers each check a flag and then raise it, with a yield point in between. */
    @LabTest(runs = 200)
    void failsOnSomeSchedule(Cx cx) throws Exception {
      AtomicInteger flag = new AtomicInteger();
      AtomicInteger raised = new AtomicInteger();
      List<TaskHandle<Void>> workers = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        workers.add(cx.spawn("worker" + w, c -> {
          boolean down = flag.get() == 0;
          c.checkpoint();
          if (down) {
            flag.set(1);
            assertThat(raised.incrementAndGet()).as("both workers saw the flag down").isEqualTo(1);
          }
          return null;
        }));
      }
      for (TaskHandle<Void> w : workers) {
        w.join(cx);
      }
    }

    @LabTest(runs = 1)
    void leaksAnObligation(Cx cx) {
      cx.scope(s -> s.spawn("forgetful", c -> c.reserve(ObligationKind.ACK, "ack")));
    }

    @LabTest(runs = 1)
    void cancelsItself(Cx cx) {
      cx.cancelScope("stop");
      cx.checkpoint();
    }

    @LabTest(runs = 200, faults = FaultPreset.HEAVY)
    void cancelledByFaults(Cx cx) {
      for (int i = 0; i < 200; i++) {
        cx.checkpoint();
      }
    }
  }
}
