/** gRPC engine: message framing, timeout and status-message codecs, the call engines. Not API. */
@NullMarked
package io.asupersync.protocols.grpc.internal;

import org.jspecify.annotations.NullMarked;
