package io.asupersync;

/** What an obligation stands for. */
public enum ObligationKind {
  SEND_PERMIT,
  ACK,
  LEASE,
  IO_OP,
  SEMAPHORE_PERMIT,
  TRANSACTION
}
