/** The grpc.testing interop TestService served by our gRPC server. */
@NullMarked
package io.asupersync.interop;

import org.jspecify.annotations.NullMarked;
