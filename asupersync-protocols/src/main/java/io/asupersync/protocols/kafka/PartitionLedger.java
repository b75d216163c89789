package io.asupersync.protocols.kafka;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What happened to each record delivered from one partition since its last committed offset. Offsets
 * are not contiguous in Kafka (transaction markers, compaction), so the ledger keeps the offsets it
 * delivered; the committable offset is the first one not yet processed. Thread-safe: deliveries are
 * settled from any task, the receiver reads it on its driving task.
 */
final class PartitionLedger {
  enum State {
    IN_FLIGHT,
    DONE,
    /** Aborted, not yet sought back to. */
    ABORTED,
    /** Sought back to; the next fetch of this offset redelivers it. */
    REDELIVER
  }

  enum Admission {
    NEW,
    REDELIVERY,
    /** Already in flight or done: a refetch after a seek must not deliver it twice. */
    SKIP
  }

  final TopicPartition partition;
  private final TreeMap<Long, State> offsets = new TreeMap<>();
  /** The group's next offset as far as this ledger knows; -1 until the first delivery. */
  private long committed = -1;
  private boolean retired;

  PartitionLedger(TopicPartition partition) {
    this.partition = partition;
  }

  synchronized Admission admit(long offset) {
    if (retired || offset < committed) {
      return Admission.SKIP;
    }
    if (committed < 0) {
      committed = offset; // where the group stands: committing it again would change nothing
    }
    State s = offsets.get(offset);
    if (s == State.IN_FLIGHT || s == State.DONE) {
      return Admission.SKIP;
    }
    offsets.put(offset, State.IN_FLIGHT);
    return s == null ? Admission.NEW : Admission.REDELIVERY;
  }

  synchronized void done(long offset) {
    offsets.replace(offset, State.IN_FLIGHT, State.DONE);
  }

  synchronized void aborted(long offset) {
    offsets.replace(offset, State.IN_FLIGHT, State.ABORTED);
  }

  /** The offset to seek back to for redelivery, once per abort. */
  synchronized OptionalLong takeSeek() {
    long first = -1;
    for (Map.Entry<Long, State> e : offsets.entrySet()) {
      if (e.getValue() == State.ABORTED) {
        e.setValue(State.REDELIVER);
        if (first < 0) {
          first = e.getKey();
        }
      }
    }
    return first < 0 || retired ? OptionalLong.empty() : OptionalLong.of(first);
  }

  /**
   * The offset to commit (the next one to read): the first delivered offset not done, or one past the
   * last delivered when all are done; empty when that is not ahead of what was committed.
   */
  synchronized OptionalLong committable() {
    if (retired || offsets.isEmpty()) {
      return OptionalLong.empty();
    }
    long next = offsets.lastKey() + 1;
    for (Map.Entry<Long, State> e : offsets.entrySet()) {
      if (e.getValue() != State.DONE) {
        next = e.getKey();
        break;
      }
    }
    return next > committed ? OptionalLong.of(next) : OptionalLong.empty();
  }

  synchronized void committed(long next) {
    committed = Math.max(committed, next);
    offsets.headMap(next).clear();
  }

  synchronized long committedOffset() {
    return committed;
  }

  synchronized int inFlight() {
    int n = 0;
    for (State s : offsets.values()) {
      if (s == State.IN_FLIGHT) {
        n++;
      }
    }
    return n;
  }

  /** The partition was revoked or lost: later settlements change nothing here. */
  synchronized void retire() {
    retired = true;
    offsets.clear();
  }
}
