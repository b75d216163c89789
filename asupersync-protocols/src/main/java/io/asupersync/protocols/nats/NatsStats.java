package io.asupersync.protocols.nats;

/**
 * Counters of one {@link NatsClient} since it was built (a snapshot; each value is read on its own).
 *
 * @param published messages handed to the connection ({@code PUB}/{@code HPUB}, requests and acks included)
 * @param delivered messages received from the server
 * @param requests requests sent (JetStream API calls and publishes included)
 * @param noResponders requests answered with "no responders"
 * @param timeouts requests that got no reply in time
 * @param cancelled operations whose caller was cancelled
 * @param droppedMessages messages dropped because a subscription's queue was full (slow consumer)
 * @param lateReplies messages that arrived after their request, fetch or subscription ended (dropped;
 *     JetStream deliveries among them are nak'ed)
 * @param protocolErrors connections closed because the server broke the protocol or a limit
 * @param serverErrors {@code -ERR} lines received
 * @param reconnects connections re-established after a loss
 * @param acks JetStream acknowledgements sent ({@code +ACK})
 * @param naks JetStream negative acknowledgements sent ({@code -NAK}), aborts included
 * @param terms JetStream terminations sent ({@code +TERM})
 * @param peakBufferedBytes the most bytes the decoder held at once for one connection
 * @param subscriptions subscriptions open now
 * @param pendingRequests requests and fetches waiting for replies now
 * @param connected whether a connection is up now
 */
public record NatsStats(
    long published,
    long delivered,
    long requests,
    long noResponders,
    long timeouts,
    long cancelled,
    long droppedMessages,
    long lateReplies,
    long protocolErrors,
    long serverErrors,
    long reconnects,
    long acks,
    long naks,
    long terms,
    long peakBufferedBytes,
    int subscriptions,
    int pendingRequests,
    boolean connected) {}
