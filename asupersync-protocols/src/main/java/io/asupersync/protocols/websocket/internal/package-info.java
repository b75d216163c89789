/** WebSocket engine: frame reader and writer, handshake, permessage-deflate and the Netty connection. Not API. */
@NullMarked
package io.asupersync.protocols.websocket.internal;

import org.jspecify.annotations.NullMarked;
