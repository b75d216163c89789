package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A region keeps a single task or child scope without a hash set and switches to an ordered set at the
 * second: membership must stay complete across those changes, in both directions.
 */
class RegionMembershipTests {

  private final Runtime rt = Runtime.builder().build();

  @AfterEach
  void close() {
    rt.close();
  }

  @Test
  void cancelReachesEveryTaskAfterTheRegionWentFromOneToTwoToNoTasksAndBack() {
    List<String> cancelled = new CopyOnWriteArrayList<>();
    Outcome<Object> outcome =
        rt.run(
            cx ->
                cx.scope(
                    RegionPolicy.COLLECT_ALL,
                    Budget.unlimited(),
                    scope -> {
                      // one, then two, then none
                      TaskHandle<Integer> a = scope.spawn("a", c -> 1);
                      TaskHandle<Integer> b = scope.spawn("b", c -> 2);
                      assertThat(a.join(scope).orThrow() + b.join(scope).orThrow()).isEqualTo(3);
                      // then one and two again, both parked until cancelled
                      CountDownLatch parked = new CountDownLatch(2);
                      scope.spawn("c", c -> parkUntilCancelled(c, parked, cancelled, "c"));
                      scope.spawn("d", c -> parkUntilCancelled(c, parked, cancelled, "d"));
                      assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
                      scope.cancelScope("stop both");
                      return null;
                    }));
    assertThat(outcome).isInstanceOf(Outcome.Ok.class);
    assertThat(cancelled).containsExactlyInAnyOrder("c", "d");
    assertThat(rt.snapshot().tasks()).isEmpty();
  }

  @Test
  void cancelReachesASingleTaskAndASingleChildScope() throws Exception {
    List<String> cancelled = new CopyOnWriteArrayList<>();
    CountDownLatch parked = new CountDownLatch(2);
    // the root region holds one task and one child scope; that scope one task and one child scope
    TaskHandle<Outcome<Object>> root =
        rt.spawn(
            "root",
            RegionPolicy.COLLECT_ALL,
            Budget.unlimited(),
            scope -> {
              scope.spawn("only task", c -> parkUntilCancelled(c, parked, cancelled, "task"));
              return scope.scope(inner -> parkUntilCancelled(inner, parked, cancelled, "scope")).orThrow();
            });
    assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
    root.cancel(CancelReason.of(CancelKind.USER, "stop"));
    awaitDone(root);
    assertThat(root.outcome().orElseThrow()).isInstanceOf(Outcome.Ok.class);
    assertThat(root.outcome().orElseThrow().orThrow()).isInstanceOf(Outcome.Cancelled.class);
    assertThat(cancelled).containsExactlyInAnyOrder("task", "scope");
  }

  @Test
  void everyChildScopeIsListedAndCancelledAfterTheRegionWentFromOneToNoChildren() throws Exception {
    List<String> cancelled = new CopyOnWriteArrayList<>();
    CountDownLatch parked = new CountDownLatch(2);
    TaskHandle<Outcome<Object>> root =
        rt.spawn(
            "root",
            RegionPolicy.COLLECT_ALL,
            Budget.unlimited(),
            cx -> {
              // a child scope opened and closed by the body: one child, then none
              assertThat(cx.scope(inner -> 1).orThrow()).isEqualTo(1);
              // two tasks of this region open a child scope each and park in it: two children
              cx.spawn("x", c -> c.scope(s -> parkUntilCancelled(s, parked, cancelled, "x")));
              cx.spawn("y", c -> c.scope(s -> parkUntilCancelled(s, parked, cancelled, "y")));
              return null;
            });
    assertThat(parked.await(10, TimeUnit.SECONDS)).isTrue();
    List<RuntimeSnapshot.RegionInfo> regions = rt.snapshot().regions();
    RuntimeSnapshot.RegionInfo rootRegion = regions.get(0);
    RuntimeSnapshot.RegionInfo scope = regionOf(regions, rootRegion.childRegionIds().get(0));
    assertThat(rootRegion.childRegionIds()).hasSize(1);
    assertThat(scope.childRegionIds()).as("the two parked scopes").hasSize(2);
    assertThat(scope.taskIds()).hasSize(2);
    assertThat(regions).hasSize(4);

    assertThat(rt.shutdown().quiescent()).isTrue();
    assertThat(root.isDone()).isTrue();
    assertThat(cancelled).containsExactlyInAnyOrder("x", "y");
    assertThat(rt.counters().regionsActive()).isZero();
    assertThat(rt.counters().tasksActive()).isZero();
  }

  private static Object parkUntilCancelled(Cx cx, CountDownLatch parked, List<String> cancelled, String name) {
    parked.countDown();
    try {
      while (true) {
        cx.checkpoint();
        cx.park(null);
      }
    } catch (CancelledException e) {
      cancelled.add(name);
      throw e;
    }
  }

  private static RuntimeSnapshot.RegionInfo regionOf(List<RuntimeSnapshot.RegionInfo> regions, long id) {
    return regions.stream().filter(r -> r.id() == id).findFirst().orElseThrow();
  }

  private static void awaitDone(TaskHandle<?> handle) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!handle.isDone()) {
      assertThat(System.nanoTime()).as("task finished in time").isLessThan(deadline);
      Thread.sleep(1);
    }
  }
}
