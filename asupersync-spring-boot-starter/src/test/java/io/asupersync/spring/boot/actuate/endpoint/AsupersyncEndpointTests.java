package io.asupersync.spring.boot.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.LeakResponse;
import io.asupersync.Obligation;
import io.asupersync.ObligationKind;
import io.asupersync.ObligationState;
import io.asupersync.Outcome;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import io.asupersync.TaskState;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint.LeaksDescriptor;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint.ObligationsDescriptor;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint.RegionsDescriptor;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint.SummaryDescriptor;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncEndpoint.TasksDescriptor;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AsupersyncEndpointTests {

  private final Runtime runtime = Runtime.builder().leakResponse(LeakResponse.SILENT).build();
  private final AsupersyncEndpoint endpoint = new AsupersyncEndpoint(runtime);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    runtime.close();
  }

  /** Starts a task that holds a lease in a child scope until released; returns once it holds it. */
  private TaskHandle<Outcome<Object>> holdLease() throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    TaskHandle<Outcome<Object>> handle =
        runtime.spawn(
            "lease-holder",
            cx -> cx.scope(inner -> {
              Obligation lease = inner.reserve(ObligationKind.LEASE, "connection 7");
              holding.countDown();
              release.await();
              lease.commit();
              return "done";
            }).orThrow());
    holding.await();
    return handle;
  }

  @Test
  void summaryCountsLiveTasksRegionsAndObligations() throws Exception {
    holdLease();

    SummaryDescriptor summary = endpoint.summary();

    assertThat(summary.shutdown()).isFalse();
    assertThat(summary.tasks().active()).isEqualTo(1);
    assertThat(summary.tasks().spawned()).isEqualTo(1);
    assertThat(summary.regions().active()).isEqualTo(3);
    assertThat(summary.obligations().active()).isEqualTo(1);
    assertThat(summary.obligations().leaked()).isZero();
    assertThat(summary.cancellations()).containsOnlyKeys(CancelKind.values()).containsEntry(CancelKind.DEADLINE, 0L);
    assertThat(summary.trace().capacity()).isEqualTo(4096);
  }

  @Test
  void regionsTasksAndObligationsShowTheLiveTree() throws Exception {
    TaskHandle<Outcome<Object>> holder = holdLease();

    RegionsDescriptor regions = (RegionsDescriptor) endpoint.part("regions");
    TasksDescriptor tasks = (TasksDescriptor) endpoint.part("tasks");
    ObligationsDescriptor obligations = (ObligationsDescriptor) endpoint.part("obligations");

    assertThat(regions).isNotNull();
    assertThat(regions.regions()).hasSize(3);
    assertThat(regions.regions().getFirst().parentId()).isZero();
    assertThat(regions.regions().get(1).parentId()).isEqualTo(regions.regions().getFirst().id());
    assertThat(tasks).isNotNull();
    assertThat(tasks.tasks()).singleElement().satisfies(t -> {
      assertThat(t.id()).isEqualTo(holder.id());
      assertThat(t.name()).isEqualTo("lease-holder");
      assertThat(t.state()).isEqualTo(TaskState.RUNNING);
      assertThat(t.deadline()).isNull();
      assertThat(t.cancelReason()).isNull();
    });
    assertThat(obligations).isNotNull();
    assertThat(obligations.obligations()).singleElement().satisfies(o -> {
      assertThat(o.kind()).isEqualTo(ObligationKind.LEASE);
      assertThat(o.description()).isEqualTo("connection 7");
      assertThat(o.state()).isEqualTo(ObligationState.RESERVED);
      assertThat(o.taskId()).isEqualTo(holder.id());
      assertThat(o.regionId()).isEqualTo(regions.regions().get(2).id());
    });
  }

  @Test
  void leaksListsEachLeakWithTheResponseApplied() {
    runtime.run(cx -> cx.reserve(ObligationKind.ACK, "ack for message 42"));

    LeaksDescriptor leaks = (LeaksDescriptor) endpoint.part("leaks");

    assertThat(leaks).isNotNull();
    assertThat(leaks.total()).isEqualTo(1);
    assertThat(leaks.leaks()).singleElement().satisfies(leak -> {
      assertThat(leak.obligation().description()).isEqualTo("ack for message 42");
      assertThat(leak.obligation().state()).isEqualTo(ObligationState.LEAKED);
      assertThat(leak.response()).isEqualTo(LeakResponse.SILENT);
    });
    assertThat(endpoint.summary().obligations().leaked()).isEqualTo(1);
  }

  @Test
  void unknownPartIsNotFound() {
    assertThat(endpoint.part("threads")).isNull();
  }

  @Test
  void summaryReportsShutdown() {
    runtime.close();
    assertThat(endpoint.summary().shutdown()).isTrue();
  }
}
