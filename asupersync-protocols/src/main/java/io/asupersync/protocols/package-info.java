/** Protocol stack on Netty: the small public API shared by the HTTP/1.1, HTTP/2, gRPC and WebSocket servers. */
@NullMarked
package io.asupersync.protocols;

import org.jspecify.annotations.NullMarked;
