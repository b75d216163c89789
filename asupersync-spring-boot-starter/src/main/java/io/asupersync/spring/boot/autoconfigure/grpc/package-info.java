/** Auto-configuration of gRPC services and grpc.health.v1 on the Asupersync server. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.grpc;

import org.jspecify.annotations.NullMarked;
