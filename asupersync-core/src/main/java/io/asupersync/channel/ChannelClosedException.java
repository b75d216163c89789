package io.asupersync.channel;

/**
 * Thrown when a channel can no longer do what was asked: a sender finds it closed, or a receiver
 * finds it closed and drained (no message left and none that can still arrive). Checked because end
 * of stream is an expected outcome, not a bug: a task body that lets it escape ends {@code Err}.
 */
public final class ChannelClosedException extends Exception {
  private static final long serialVersionUID = 1L;

  ChannelClosedException(String message) {
    super(message, null, false, false);
  }
}
