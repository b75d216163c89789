package io.asupersync.spring.boot.actuate.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import io.asupersync.Runtime;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncTraceEndpoint.EventDescriptor;
import io.asupersync.spring.boot.actuate.endpoint.AsupersyncTraceEndpoint.TraceDescriptor;
import io.asupersync.trace.TraceKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

class AsupersyncTraceEndpointTests {

  private final Runtime runtime = Runtime.builder().traceCapacity(2048).build();
  private final AsupersyncTraceEndpoint endpoint = new AsupersyncTraceEndpoint(runtime);

  @AfterEach
  void close() {
    runtime.close();
  }

  private void userEvents(int count) {
    runtime.run(cx -> {
      for (int i = 0; i < count; i++) {
        cx.trace("step", Map.of("i", Integer.toString(i)));
      }
      return null;
    });
  }

  private TraceDescriptor all() {
    return endpoint.events(null, null, null, null, null, AsupersyncTraceEndpoint.MAX_LIMIT);
  }

  @Test
  void returnsTheNewestHundredOldestFirstByDefault() {
    userEvents(150);

    TraceDescriptor trace = endpoint.events(null, null, null, null, null, null);

    assertThat(trace.events()).hasSize(AsupersyncTraceEndpoint.DEFAULT_LIMIT);
    assertThat(trace.events()).extracting(EventDescriptor::sequence).isSorted();
    assertThat(trace.events().getLast().sequence()).isEqualTo(trace.lastSequence());
    assertThat(trace.capacity()).isEqualTo(2048);
    assertThat(trace.dropped()).isZero();
  }

  @Test
  void limitIsCappedAndMustBePositive() {
    userEvents(1200);

    assertThat(endpoint.events(null, null, null, null, null, 5000).events()).hasSize(AsupersyncTraceEndpoint.MAX_LIMIT);
    assertThatExceptionOfType(InvalidEndpointRequestException.class)
        .isThrownBy(() -> endpoint.events(null, null, null, null, null, 0));
  }

  @Test
  void kindFilterTakesSeveralNamesInAnyCase() {
    userEvents(3);

    TraceDescriptor trace = endpoint.events("user, Region_Opened", null, null, null, null, null);

    assertThat(trace.events()).extracting(EventDescriptor::kind)
        .containsOnly(TraceKind.USER, TraceKind.REGION_OPENED)
        .contains(TraceKind.USER, TraceKind.REGION_OPENED);
    assertThat(trace.events()).filteredOn(e -> e.kind() == TraceKind.USER).hasSize(3)
        .allSatisfy(e -> assertThat(e.attributes()).containsEntry("name", "step"));
  }

  @Test
  void unknownKindIsABadRequestNamingTheKnownOnes() {
    assertThatExceptionOfType(InvalidEndpointRequestException.class)
        .isThrownBy(() -> endpoint.events("USR", null, null, null, null, null))
        .withMessageContaining("USR")
        .withMessageContaining("ACCESS");
  }

  @Test
  void regionAndTaskFiltersKeepOnlyTheirEvents() {
    userEvents(2);
    EventDescriptor step =
        all().events().stream().filter(e -> e.kind() == TraceKind.USER).findFirst().orElseThrow();

    assertThat(endpoint.events(null, step.regionId(), null, null, null, null).events())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.regionId()).isEqualTo(step.regionId()));
    assertThat(endpoint.events(null, null, step.taskId(), null, null, null).events())
        .isNotEmpty()
        .allSatisfy(e -> assertThat(e.taskId()).isEqualTo(step.taskId()));
  }

  @Test
  void sinceTakesASequenceNumberOrAnInstant() {
    userEvents(5);
    List<EventDescriptor> before = all().events();
    long mark = before.getLast().sequence();
    Instant markTime = before.getLast().time();
    userEvents(2);

    List<EventDescriptor> afterSequence = endpoint.events(null, null, null, Long.toString(mark), null, null).events();
    assertThat(afterSequence).isNotEmpty().allSatisfy(e -> assertThat(e.sequence()).isGreaterThan(mark));
    assertThat(afterSequence).filteredOn(e -> e.kind() == TraceKind.USER).hasSize(2);

    List<EventDescriptor> afterTime = endpoint.events(null, null, null, markTime.toString(), null, null).events();
    assertThat(afterTime).allSatisfy(e -> assertThat(e.time()).isAfter(markTime));

    assertThatExceptionOfType(InvalidEndpointRequestException.class)
        .isThrownBy(() -> endpoint.events(null, null, null, "yesterday", null, null));
  }

  @Test
  void traceIdFindsTheTaggedRegionAndTheRegionsOpenedInsideIt() {
    runtime.run(cx -> cx.scope(request -> {
      request.trace("http.request", Map.of("traceId", "abc123"));
      request.scope(child -> {
        child.trace("inside");
        return null;
      });
      return null;
    }));
    runtime.run(cx -> {
      cx.trace("other request", Map.of("traceId", "zzz"));
      return null;
    });

    List<EventDescriptor> events = endpoint.events(null, null, null, null, "abc123", null).events();

    assertThat(events).extracting(e -> e.attributes().getOrDefault("name", ""))
        .contains("http.request", "inside")
        .doesNotContain("other request");
    assertThat(events).extracting(EventDescriptor::kind).contains(TraceKind.REGION_OPENED, TraceKind.REGION_CLOSED);
    assertThat(endpoint.events(null, null, null, null, "nope", null).events()).isEmpty();
  }

  @Test
  void eventsCarryTheirChainHashAsHex() {
    userEvents(1);
    assertThat(all().events()).allSatisfy(e -> assertThat(e.hash()).matches("[0-9a-f]{16}"));
  }
}
