/** HTTP/1.1 and HTTP/2 client with a per-origin connection pool, limits, ALPN and Cx deadlines. */
@NullMarked
package io.asupersync.protocols.http.client;

import org.jspecify.annotations.NullMarked;
