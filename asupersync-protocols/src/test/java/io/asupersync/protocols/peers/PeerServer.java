package io.asupersync.protocols.peers;

import io.asupersync.Runtime;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpResponse;
import io.asupersync.protocols.tls.TlsInfo;
import io.asupersync.protocols.tls.ClientAuth;
import io.asupersync.protocols.tls.ServerTls;
import java.net.InetAddress;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Our server as the peer tools meet it: default limits, a cleartext port (HTTP/1.1, h2c) and a TLS port
 * (ALPN h2/http1.1, TLS 1.2 and 1.3) with key material from PEM files, and three routes:
 *
 * <ul>
 *   <li>{@code GET /}: {@link #BODY};
 *   <li>{@code POST /}: reads the body and answers {@code received N bytes};
 *   <li>{@code GET /whoami}: the verified client certificate's subject, or {@code anonymous}.
 * </ul>
 */
final class PeerServer implements AutoCloseable {
  static final String BODY = "hello from asupersync\n";

  final PeerPki pki;
  final Runtime runtime = Runtime.builder().build();
  final AsupersyncServer server;
  /** How often {@code /whoami} ran: a refused client must never get this far. */
  final AtomicInteger whoamiCalls = new AtomicInteger();

  PeerServer(ClientAuth clientAuth) throws Exception {
    pki = PeerPki.get();
    ServerTls.Builder tls = ServerTls.builder().keyPem(pki.serverChain, pki.serverKey).clientAuth(clientAuth);
    if (clientAuth != ClientAuth.NONE) {
      tls.trustPem(pki.caFile);
    }
    server =
        AsupersyncServer.builder(runtime)
            .bindAddress(InetAddress.getLoopbackAddress())
            .cleartextPort(0)
            .tlsPort(0)
            .tlsContext(tls.build())
            .ioThreads(1)
            .shutdownTimeout(Duration.ofSeconds(5))
            .get("/", (cx, request) -> HttpResponse.ok(BODY))
            .post("/", (cx, request) -> HttpResponse.ok("received " + request.body().bytes(cx).length + " bytes"))
            .get(
                "/whoami",
                (cx, request) -> {
                  whoamiCalls.incrementAndGet();
                  String name =
                      request.tls().flatMap(TlsInfo::peerPrincipal).map(Principal::getName).orElse("anonymous");
                  return HttpResponse.ok(name);
                })
            .start();
  }

  int cleartextPort() {
    return server.cleartextPort();
  }

  int tlsPort() {
    return server.tlsPort();
  }

  @Override
  public void close() {
    server.close();
    runtime.close();
  }
}
