package io.asupersync.protocols.nats;

/**
 * A request found nobody subscribed to its subject: the server answered at once with status 503.
 * Nothing processed the request, so it is safe to retry later. This is neither a timeout nor a
 * cancellation; for a JetStream publish it means no stream captures the subject.
 */
public final class NatsNoRespondersException extends NatsException {
  private static final long serialVersionUID = 1L;

  NatsNoRespondersException(String operation) {
    super(Reason.NO_RESPONDERS, operation + " found no responders");
  }
}
