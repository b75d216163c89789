/** TLS contexts for servers and clients: key and trust material, protocol and cipher policy, ALPN, mTLS, reload. */
@NullMarked
package io.asupersync.protocols.tls;

import org.jspecify.annotations.NullMarked;
