package io.asupersync.protocols.kafka;

import io.asupersync.protocols.internal.Causes;
import java.util.Objects;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.jspecify.annotations.Nullable;

/**
 * A Kafka operation failed; {@link #reason()} says what the caller can do about it. The message never
 * contains a record's key or value.
 */
public final class KafkaClientException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Reason {
    /** The record is larger than the configured limit (checked before sending) or the broker's. */
    MESSAGE_TOO_LARGE,
    /** No answer within the client's timeouts (metadata, delivery, request); nothing was confirmed. */
    TIMED_OUT,
    /**
     * The connection to the broker could not be secured or authenticated: a TLS handshake failed (broker
     * certificate not trusted or not naming the host dialled, client certificate missing or refused) or
     * SASL credentials were refused. Retrying will not help until the configuration changes.
     */
    AUTHENTICATION_FAILED,
    /** The broker refused the operation (authorization, invalid topic, ...); retrying will not help. */
    REJECTED,
    /** Another producer with the same transactional id took over; this one was discarded. */
    FENCED,
    /** The transaction was aborted; none of its records are visible to read_committed consumers. */
    TRANSACTION_ABORTED,
    /**
     * The transaction ran longer than {@code transaction.timeout.ms}; it was aborted and the producer
     * recreated.
     */
    TRANSACTION_TIMED_OUT,
    /**
     * The commit of a transaction was sent but not confirmed: its records may or may not become
     * visible. The producer was recreated, which settles the transaction on the broker.
     */
    OUTCOME_UNKNOWN,
    /** The client was closed. */
    CLOSED
  }

  private final Reason reason;

  public KafkaClientException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public KafkaClientException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }

  /** Classifies an exception reported by kafka-clients. */
  static Reason reasonOf(Throwable failure) {
    return switch (failure) {
      case RecordTooLargeException e -> Reason.MESSAGE_TOO_LARGE;
      case RecordBatchTooLargeException e -> Reason.MESSAGE_TOO_LARGE;
      case TimeoutException e -> Reason.TIMED_OUT;
      case AuthenticationException e -> Reason.AUTHENTICATION_FAILED;
      case ProducerFencedException e -> Reason.FENCED;
      case InvalidProducerEpochException e -> Reason.FENCED;
      case InvalidPidMappingException e -> Reason.FENCED;
      case UnknownProducerIdException e -> Reason.FENCED;
      case TransactionAbortedException e -> Reason.TRANSACTION_ABORTED;
      case IllegalStateException e -> Reason.CLOSED;
      case org.apache.kafka.common.errors.InterruptException e -> Reason.CLOSED;
      default -> Reason.REJECTED;
    };
  }

  static KafkaClientException of(String operation, Throwable failure) {
    Reason reason = reasonOf(failure);
    String message = operation + " failed (" + reason + "): " + describe(failure);
    if (reason == Reason.AUTHENTICATION_FAILED) {
      // kafka-clients says only "SSL handshake failed"; the first cause says why (untrusted, wrong host, ...).
      Throwable root = Causes.root(failure);
      if (root != failure) {
        message += " caused by " + describe(root);
      }
    }
    return new KafkaClientException(reason, message, failure);
  }

  private static String describe(Throwable t) {
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
