/** WebSocket (RFC 6455, permessage-deflate RFC 7692): server handlers, sessions, the client and their limits. */
@NullMarked
package io.asupersync.protocols.websocket;

import org.jspecify.annotations.NullMarked;
