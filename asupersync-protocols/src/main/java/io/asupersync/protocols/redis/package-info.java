/** Redis client on Netty: RESP2/RESP3 with bounded decoding, a pool, pipelining, transactions, pub/sub and streams. */
@NullMarked
package io.asupersync.protocols.redis;

import org.jspecify.annotations.NullMarked;
