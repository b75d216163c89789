package io.asupersync.protocols.grpc;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import java.net.InetAddress;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** A runtime, our server on an ephemeral loopback port with a gRPC router, and our client to it. */
final class GrpcTestServer implements AutoCloseable {

  final Runtime runtime;
  final AsupersyncServer server;
  final GrpcClient client;

  GrpcTestServer(Function<Runtime, GrpcRouter> router) {
    this(router, UnaryOperator.identity());
  }

  GrpcTestServer(Function<Runtime, GrpcRouter> router, UnaryOperator<AsupersyncServer.Builder> configure) {
    runtime = Runtime.builder().build();
    server = configure.apply(router.apply(runtime).installOn(AsupersyncServer.builder(runtime).bindAddress(InetAddress.getLoopbackAddress()).cleartextPort(0))).start();
    client = GrpcClient.builder("127.0.0.1", server.cleartextPort()).build();
  }

  int port() {
    return server.cleartextPort();
  }

  @Override
  public void close() {
    client.close();
    server.close();
    runtime.close();
  }
}
