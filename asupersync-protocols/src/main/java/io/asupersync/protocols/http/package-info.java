/** HTTP/1.1 and HTTP/2 on one server and one client: headers, limits, the server and its handlers. */
@NullMarked
package io.asupersync.protocols.http;

import org.jspecify.annotations.NullMarked;
