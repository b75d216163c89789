/** A NATS client on Netty with bounded decoding, request-reply, reconnect, and JetStream publish and pull consumers. */
@NullMarked
package io.asupersync.protocols.nats;

import org.jspecify.annotations.NullMarked;
