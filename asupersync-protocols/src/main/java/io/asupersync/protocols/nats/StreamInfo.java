package io.asupersync.protocols.nats;

/**
 * The state of a stream as the server reported it.
 *
 * @param name stream name
 * @param messages messages stored
 * @param bytes bytes stored
 * @param firstSequence sequence of the oldest stored message (0 when empty)
 * @param lastSequence sequence of the newest stored message (0 when empty)
 */
public record StreamInfo(String name, long messages, long bytes, long firstSequence, long lastSequence) {}
