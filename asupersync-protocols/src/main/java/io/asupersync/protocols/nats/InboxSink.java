package io.asupersync.protocols.nats;

/** Where the replies to one request (or one JetStream fetch) go; called on the event loop. */
interface InboxSink {

  void deliver(NatsMessage message);

  /** The connection was lost or the client closed: no reply will come through this inbox. */
  void fail(NatsException error);
}
