package io.asupersync.trace;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One structured trace record. {@code hash} chains this event to the one before it (see {@link
 * TraceChain}), so editing, dropping or reordering recorded events is detectable.
 *
 * @param sequence position in the runtime's trace, from 1, without gaps
 * @param time runtime clock reading when recorded
 * @param kind what happened
 * @param taskId the task concerned, 0 for none
 * @param regionId the region concerned, 0 for none
 * @param obligationId the obligation concerned, 0 for none
 * @param attributes further detail, never credentials or key material
 * @param hash the chain hash after this event
 */
public record TraceEvent(
    long sequence,
    Instant time,
    TraceKind kind,
    long taskId,
    long regionId,
    long obligationId,
    Map<String, String> attributes,
    long hash) {

  public TraceEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(kind, "kind");
    attributes = Map.copyOf(attributes);
  }

  /** The attribute value, or the empty string when absent. */
  public String attribute(String name) {
    return attributes.getOrDefault(name, "");
  }
}
