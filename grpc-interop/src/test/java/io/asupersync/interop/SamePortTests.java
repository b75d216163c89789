package io.asupersync.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.grpc.GrpcClient;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.testing.integration.EmptyProtos.Empty;
import io.grpc.testing.integration.Messages.SimpleResponse;
import io.grpc.testing.integration.Messages.StreamingOutputCallResponse;
import io.grpc.testing.integration.TestServiceGrpc;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1, h2 and gRPC on the same port of one server, cleartext and TLS (one TLS configuration,
 * ALPN choosing the protocol): the gRPC part of "every protocol on one port". gRPC is called by
 * grpc-java's client and ours; plain HTTP by the JDK's client.
 */
@Timeout(60)
class SamePortTests {

  private static X509Bundle ca;
  private static Runtime runtime;
  private static AsupersyncServer server;

  @BeforeAll
  static void start() throws Exception {
    Instant now = Instant.now();
    CertificateBuilder base = new CertificateBuilder().notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256();
    ca = base.copy().subject("CN=Interop Test CA").setIsCertificateAuthority(true).buildSelfSigned();
    X509Bundle leaf = base.copy().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().buildIssuedBy(ca);
    SslContext tls =
        SslContextBuilder.forServer(leaf.toKeyManagerFactory())
            .applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
            .build();
    runtime = Runtime.builder().build();
    server =
        GrpcRouter.builder().service(InteropTestService.create()).build()
            .installOn(AsupersyncServer.builder(runtime)
                .bindAddress(InetAddress.getLoopbackAddress())
                .cleartextPort(0)
                .tlsPort(0)
                .tlsContext(() -> tls)
                .get("/hello", (cx, request) -> HttpResponse.ok("hello over " + request.protocol())))
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
    runtime.close();
  }

  private static ApplicationProtocolConfig alpn(String... protocols) {
    return new ApplicationProtocolConfig(
        ApplicationProtocolConfig.Protocol.ALPN,
        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
        protocols);
  }

  @Test
  void cleartextPortServesHttp1H2cAndGrpc() throws Exception {
    int port = server.cleartextPort();
    assertThat(get(HttpClient.Version.HTTP_1_1, "http", port)).isEqualTo("hello over HTTP_1_1");
    assertThat(get(HttpClient.Version.HTTP_2, "http", port)).isEqualTo("hello over HTTP_2"); // h2c by Upgrade
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      assertGrpcJavaCalls(channel);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    try (GrpcClient client = GrpcClient.builder("127.0.0.1", port).build()) {
      assertOurClientCalls(client);
    }
  }

  @Test
  void tlsPortServesHttp1H2AndGrpcWithOneTlsConfiguration() throws Exception {
    int port = server.tlsPort();
    assertThat(get(HttpClient.Version.HTTP_1_1, "https", port)).isEqualTo("hello over HTTP_1_1");
    assertThat(get(HttpClient.Version.HTTP_2, "https", port)).isEqualTo("hello over HTTP_2"); // ALPN h2
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .overrideAuthority("localhost")
            .sslContext(GrpcSslContexts.forClient().trustManager(ca.toTrustManagerFactory()).build())
            .build();
    try {
      assertGrpcJavaCalls(channel);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    SslContext clientTls = SslContextBuilder.forClient().trustManager(ca.toTrustManagerFactory()).applicationProtocolConfig(alpn(ApplicationProtocolNames.HTTP_2)).build();
    try (GrpcClient client = GrpcClient.builder("127.0.0.1", port).authority("localhost").tls(clientTls).build()) {
      assertOurClientCalls(client);
    }
  }

  /** empty_unary, large_unary, server_streaming and ping_pong-style bidi through grpc-java. */
  private static void assertGrpcJavaCalls(ManagedChannel channel) {
    TestServiceGrpc.TestServiceBlockingStub stub = TestServiceGrpc.newBlockingStub(channel);
    assertThat(stub.emptyCall(Empty.getDefaultInstance())).isEqualTo(Empty.getDefaultInstance());
    assertThat(stub.unaryCall(AsupersyncClientInteropTests.largeRequest()).getPayload().getBody().size()).isEqualTo(314159);
    List<Integer> sizes = new ArrayList<>();
    stub.streamingOutputCall(AsupersyncClientInteropTests.outputRequest(31415, 9, 2653, 58979).build())
        .forEachRemaining(r -> sizes.add(r.getPayload().getBody().size()));
    assertThat(sizes).containsExactly(31415, 9, 2653, 58979);
  }

  private static void assertOurClientCalls(GrpcClient client) throws Exception {
    SimpleResponse large = runtime.run(cx -> client.unary(cx, TestServiceMethods.UNARY_CALL, AsupersyncClientInteropTests.largeRequest())).orThrow();
    assertThat(large.getPayload().getBody().size()).isEqualTo(314159);
    StreamingOutputCallResponse pong = runtime.run(cx -> {
      try (var call = client.start(cx, TestServiceMethods.FULL_DUPLEX_CALL)) {
        call.send(cx, AsupersyncClientInteropTests.outputRequest(9).build());
        StreamingOutputCallResponse reply = call.next(cx);
        call.halfClose();
        assertThat(call.next(cx)).isNull();
        return reply;
      }
    }).orThrow();
    assertThat(pong.getPayload().getBody().size()).isEqualTo(9);
  }

  private static String get(HttpClient.Version version, String scheme, int port) throws Exception {
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, ca.toTrustManagerFactory().getTrustManagers(), null);
    try (HttpClient http = HttpClient.newBuilder().version(version).sslContext(ssl).build()) {
      java.net.http.HttpResponse<String> response =
          http.send(HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + port + "/hello")).build(), BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.version()).isEqualTo(version);
      return response.body();
    }
  }
}
