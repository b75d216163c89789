/** The server engine on Netty: connection pipelines, HTTP/1.1 and HTTP/2 exchanges, limits; not API. */
@NullMarked
package io.asupersync.protocols.http.internal;

import org.jspecify.annotations.NullMarked;
