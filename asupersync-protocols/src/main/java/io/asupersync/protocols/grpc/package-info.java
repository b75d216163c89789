/** gRPC over the HTTP/2 server and client: services, method descriptors, status, streams and the client. */
@NullMarked
package io.asupersync.protocols.grpc;

import org.jspecify.annotations.NullMarked;
