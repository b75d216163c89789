package io.asupersync.benchmarks.http;

import io.asupersync.Runtime;
import io.asupersync.protocols.EventLoopCarrier;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * One HTTP server for the P7/P8 load comparison ({@code benchmarks/http-load.sh}), in its own JVM:
 * {@code HttpLoadServer asupersync|asupersync-tuned|netty|netty-vt|reactor [ioThreads]}. Each binds a free port on 127.0.0.1 that
 * speaks HTTP/1.1 and h2c with prior knowledge, answers {@code GET /} with {@link #BODY} (text/plain,
 * with content-length), prints {@code listening <port>} and serves until killed.
 */
public final class HttpLoadServer {
  static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
  static final String CONTENT_TYPE = "text/plain; charset=utf-8";

  private HttpLoadServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: HttpLoadServer asupersync|asupersync-tuned|netty|netty-vt|reactor [ioThreads]");
    }
    int ioThreads = args.length > 1 ? Integer.parseInt(args[1]) : java.lang.Runtime.getRuntime().availableProcessors();
    int port =
        switch (args[0].toLowerCase(Locale.ROOT)) {
          case "asupersync" -> asupersync(ioThreads, false);
          case "asupersync-tuned" -> asupersync(ioThreads, true);
          case "netty" -> ((InetSocketAddress) NettyLoadServer.start(ioThreads, false).localAddress()).getPort();
          case "netty-vt" -> ((InetSocketAddress) NettyLoadServer.start(ioThreads, true).localAddress()).getPort();
          case "reactor" -> reactor(ioThreads);
          default -> throw new IllegalArgumentException("unknown server " + args[0]);
        };
    System.out.println("listening " + port);
    System.out.flush();
    Thread.currentThread().join();
  }

  /**
   * Our server with default settings, or tuned for a busy server whose handlers are short: request
   * tasks carried by their event loop ({@link EventLoopCarrier}) and no task/region lifecycle trace
   * events ({@code Runtime.Builder.traceLifecycle(false)}).
   */
  private static int asupersync(int ioThreads, boolean tuned) {
    Runtime.Builder runtime = Runtime.builder();
    if (tuned) {
      runtime.threadFactory(EventLoopCarrier.threadFactory()).traceLifecycle(false);
    }
    HttpResponse hello = HttpResponse.status(200).contentType(CONTENT_TYPE).body(BODY).build();
    AsupersyncServer server =
        AsupersyncServer.builder(runtime.build())
            .bindAddress(InetAddress.getLoopbackAddress())
            .cleartextPort(0)
            .ioThreads(ioThreads)
            .get("/", (cx, request) -> hello)
            .start();
    return server.cleartextPort();
  }

  private static int reactor(int ioThreads) {
    DisposableServer server =
        HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .protocol(HttpProtocol.HTTP11, HttpProtocol.H2C)
            .runOn(LoopResources.create("reactor-http", ioThreads, true))
            .route(
                routes ->
                    routes.get(
                        "/",
                        (request, response) ->
                            response
                                .header("content-type", CONTENT_TYPE)
                                .header("content-length", Integer.toString(BODY.length))
                                .sendByteArray(Mono.just(BODY))))
            .bindNow();
    return server.port();
  }
}
