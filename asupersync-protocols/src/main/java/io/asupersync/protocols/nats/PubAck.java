package io.asupersync.protocols.nats;

/**
 * JetStream's acknowledgement of a publish: the message is stored.
 *
 * @param stream the stream that stored it
 * @param sequence its sequence number in the stream
 * @param duplicate whether the stream had already stored a message with the same {@code
 *     Nats-Msg-Id} within its duplicate window (this publish stored nothing new)
 */
public record PubAck(String stream, long sequence, boolean duplicate) {}
