package io.asupersync.protocols.kafka;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A record handed to the producer whose fate (acknowledged or failed) is not known yet.
 *
 * @param obligationId id of the send's obligation, as in the runtime's trace and snapshot
 * @param topic destination topic
 * @param partition destination partition if the record named one, else null (the producer picks it)
 * @param handedOverAt runtime clock reading at the hand-over
 * @param callerCancelled whether the caller was cancelled meanwhile and has already been released
 */
public record PendingSend(
    long obligationId, String topic, @Nullable Integer partition, Instant handedOverAt, boolean callerCancelled) {}
