package io.asupersync.spring.boot.actuate.endpoint;

import io.asupersync.Runtime;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/asupersynctrace}: the newest structured trace events still in the runtime's ring,
 * oldest first, optionally filtered. Read-only.
 *
 * <p>Filters, all optional and combined with AND: {@code kind} (one or more {@link TraceKind} names,
 * comma-separated, case-insensitive), {@code region} and {@code task} (ids), {@code since} (a sequence
 * number, or an ISO-8601 instant: only later events), {@code traceId} (events that carry that
 * {@code traceId} attribute, every event of their regions and of regions opened inside them) and {@code
 * limit} (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}).
 */
@Endpoint(id = "asupersynctrace", defaultAccess = Access.READ_ONLY)
public final class AsupersyncTraceEndpoint {

  /** Events returned when no limit is given. */
  public static final int DEFAULT_LIMIT = 100;

  /** Largest limit honoured; a larger one is lowered to this. */
  public static final int MAX_LIMIT = 1000;

  private final Runtime runtime;

  public AsupersyncTraceEndpoint(Runtime runtime) {
    this.runtime = runtime;
  }

  @ReadOperation
  public TraceDescriptor events(
      @Nullable String kind,
      @Nullable Long region,
      @Nullable Long task,
      @Nullable String since,
      @Nullable String traceId,
      @Nullable Integer limit) {
    int max = limit == null ? DEFAULT_LIMIT : Math.min(limit, MAX_LIMIT);
    if (max < 1) {
      throw new InvalidEndpointRequestException("limit must be at least 1, was " + limit, "Invalid limit");
    }
    List<TraceEvent> retained = runtime.trace().events();
    Predicate<TraceEvent> filter = e -> true;
    if (kind != null) {
      Set<TraceKind> kinds = kinds(kind);
      filter = filter.and(e -> kinds.contains(e.kind()));
    }
    if (region != null) {
      filter = filter.and(e -> e.regionId() == region);
    }
    if (task != null) {
      filter = filter.and(e -> e.taskId() == task);
    }
    if (since != null) {
      filter = filter.and(after(since));
    }
    if (traceId != null) {
      Set<Long> regions = regionsOf(traceId, retained);
      filter = filter.and(e -> traceId.equals(e.attribute("traceId")) || regions.contains(e.regionId()));
    }
    List<EventDescriptor> events = newest(retained, filter, max);
    long lastSequence = retained.isEmpty() ? 0 : retained.getLast().sequence();
    return new TraceDescriptor(runtime.trace().capacity(), runtime.trace().dropped(), lastSequence, events);
  }

  private static List<EventDescriptor> newest(List<TraceEvent> events, Predicate<TraceEvent> filter, int max) {
    List<EventDescriptor> newestFirst = new ArrayList<>();
    for (int i = events.size() - 1; i >= 0 && newestFirst.size() < max; i--) {
      if (filter.test(events.get(i))) {
        newestFirst.add(EventDescriptor.of(events.get(i)));
      }
    }
    return newestFirst.reversed();
  }

  private static Set<TraceKind> kinds(String names) {
    Set<TraceKind> kinds = EnumSet.noneOf(TraceKind.class);
    for (String name : names.split(",")) {
      try {
        kinds.add(TraceKind.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException ex) {
        throw new InvalidEndpointRequestException(
            "Unknown trace kind '" + name.trim() + "'; known: " + EnumSet.allOf(TraceKind.class), "Invalid kind");
      }
    }
    return kinds;
  }

  private static Predicate<TraceEvent> after(String since) {
    if (!since.isEmpty() && since.chars().allMatch(Character::isDigit)) {
      long sequence = Long.parseLong(since);
      return e -> e.sequence() > sequence;
    }
    try {
      Instant instant = Instant.parse(since);
      return e -> e.time().isAfter(instant);
    } catch (DateTimeParseException ex) {
      throw new InvalidEndpointRequestException(
          "since must be a sequence number or an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '" + since + "'",
          "Invalid since");
    }
  }

  /**
   * The regions an event tagged with {@code traceId} was recorded in, with every region opened inside
   * them (found from REGION_OPENED events, which name their parent, in recording order).
   */
  private static Set<Long> regionsOf(String traceId, List<TraceEvent> events) {
    Set<Long> regions = new HashSet<>();
    for (TraceEvent e : events) {
      if (traceId.equals(e.attribute("traceId")) && e.regionId() != 0) {
        regions.add(e.regionId());
      }
    }
    if (regions.isEmpty()) {
      return regions;
    }
    for (TraceEvent e : events) {
      if (e.kind() == TraceKind.REGION_OPENED && regions.contains(parseId(e.attribute("parent")))) {
        regions.add(e.regionId());
      }
    }
    return regions;
  }

  private static long parseId(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException ex) {
      return -1;
    }
  }

  /**
   * The answer.
   *
   * @param capacity events the ring keeps
   * @param dropped events overwritten since start (older than anything returned)
   * @param lastSequence sequence of the newest recorded event, whether or not it matched: pass it as
   *     {@code since} to read only what comes next
   * @param events matching events, oldest first
   */
  public record TraceDescriptor(int capacity, long dropped, long lastSequence, List<EventDescriptor> events)
      implements OperationResponseBody {}

  /**
   * One trace event.
   *
   * @param hash the chain hash after this event, 16 hex digits
   */
  public record EventDescriptor(
      long sequence,
      Instant time,
      TraceKind kind,
      long taskId,
      long regionId,
      long obligationId,
      Map<String, String> attributes,
      String hash) {

    static EventDescriptor of(TraceEvent e) {
      return new EventDescriptor(
          e.sequence(),
          e.time(),
          e.kind(),
          e.taskId(),
          e.regionId(),
          e.obligationId(),
          new TreeMap<>(e.attributes()),
          String.format("%016x", e.hash()));
    }
  }
}
