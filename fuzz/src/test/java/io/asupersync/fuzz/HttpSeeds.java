package io.asupersync.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seed corpora of the HTTP targets: {@link Http1ServerFuzzTests#request}, {@link
 * Http2ServerFuzzTests#frames}, {@link HpackFuzzTests#headerBlocks} and {@link
 * Http1ClientFuzzTests#response}, {@link Http2ClientFuzzTests#response}. Each names what it exercises; the prefix says the outcome that
 * {@link HttpSeedCorpusTests} checks: {@code accept-} seeds are served (or decode), {@code reject-}
 * seeds get the protocol's rejection. The first byte of a server seed is the chunk-size selector (0:
 * all at once; b: chunks of {@code 1 + b % 64}).
 */
final class HttpSeeds {

  /** Target name → its corpus directory under {@code src/test/resources/io/asupersync/fuzz}. */
  static final Map<String, String> DIRECTORIES =
      Map.of(
          "h1-server", "Http1ServerFuzzTestsInputs/request",
          "h2-server", "Http2ServerFuzzTestsInputs/frames",
          "hpack", "HpackFuzzTestsInputs/headerBlocks",
          "h1-client", "Http1ClientFuzzTestsInputs/response",
          "h2-client", "Http2ClientFuzzTestsInputs/response");

  private HttpSeeds() {}

  static Map<String, byte[]> generate(String target) {
    return switch (target) {
      case "h1-server" -> h1Server();
      case "h2-server" -> h2Server();
      case "hpack" -> hpack();
      case "h1-client" -> h1Client();
      case "h2-client" -> h2Client();
      default -> throw new IllegalArgumentException(target);
    };
  }

  private static final String GET = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

  static Map<String, byte[]> h1Server() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("accept-get", seed(0, GET));
    s.put("accept-get-byte-by-byte", seed(64, GET));
    s.put("accept-pipelined-keep-alive", seed(0, GET + "GET /items/7 HTTP/1.1\r\nHost: a\r\n\r\n" + GET));
    s.put("accept-post-content-length", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"));
    s.put("accept-post-chunked-trailers", seed(7, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3;ext=1\r\nabc\r\n0\r\nX-Sum: 8\r\n\r\n"));
    s.put("accept-expect-continue", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi"));
    s.put("accept-http10", seed(0, "GET / HTTP/1.0\r\n\r\n"));
    s.put("accept-not-found-and-method", seed(0, "GET /none HTTP/1.1\r\nHost: a\r\n\r\nDELETE / HTTP/1.1\r\nHost: a\r\n\r\n"));
    s.put("accept-head", seed(0, "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"));
    s.put("accept-connection-close", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + GET));
    s.put("accept-request-timeout-header", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nrequest-timeout: 500\r\n\r\n"));
    s.put("accept-h2c-upgrade", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n"));
    s.put("accept-max-requests", seed(0, GET.repeat(10)));
    s.put("reject-cl-te-smuggling", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: a\r\n\r\n"));
    s.put("reject-te-cl-smuggling", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n"));
    s.put("reject-duplicate-content-length", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabc"));
    s.put("reject-content-length-list", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\nabc"));
    s.put("reject-negative-content-length", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"));
    s.put("reject-te-not-chunked-last", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"));
    s.put("reject-te-in-http10", seed(0, "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
    s.put("reject-request-line-too-long", seed(0, "GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: a\r\n\r\n"));
    s.put("reject-headers-too-large", seed(5, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(1100) + "\r\n\r\n"));
    s.put("reject-too-many-headers", seed(0, "GET / HTTP/1.1\r\nHost: a\r\n" + "X-N: 1\r\n".repeat(20) + "\r\n"));
    s.put("reject-body-too-large-declared", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n"));
    s.put("reject-body-too-large-chunked", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n" + "x".repeat(5000) + "\r\n0\r\n\r\n"));
    s.put("reject-missing-host", seed(0, "GET / HTTP/1.1\r\n\r\n"));
    s.put("reject-two-hosts", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
    s.put("reject-version", seed(0, "GET / HTTP/2.0\r\nHost: a\r\n\r\n"));
    s.put("reject-bad-request-timeout", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nrequest-timeout: soon\r\n\r\n"));
    s.put("reject-unknown-expect", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n"));
    s.put("reject-space-before-colon", seed(0, "GET / HTTP/1.1\r\nHost : a\r\n\r\n"));
    s.put("obs-fold-unfolded", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n  folded\r\n\r\n"));
    s.put("reject-bare-lf", seed(0, "GET / HTTP/1.1\nHost: a\n\n"));
    s.put("reject-control-char-in-value", seed(0, "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n"));
    s.put("reject-bad-chunk-size", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
    s.put("reject-garbage", seed(0, "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003"));
    s.put("percent-garbage-path", seed(0, "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n"));
    s.put("slow-partial-head", seed(1, "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: "));
    s.put("partial-body", seed(0, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly-some"));
    return s;
  }

  static Map<String, byte[]> h2Server() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    byte[] get = H2Wire.request("GET", "a");
    byte[] post = H2Wire.request("POST", "a");
    int es = H2Wire.END_STREAM, eh = H2Wire.END_HEADERS;
    s.put("accept-get", h2(0, new H2Wire().settings().headers(1, es | eh, get)));
    s.put("accept-get-byte-by-byte", h2(64, new H2Wire().settings().headers(1, es | eh, get)));
    s.put("accept-settings-ping-window", h2(0, new H2Wire().settings(1, 4096, 4, 65535, 5, 16384).frame(H2Wire.SETTINGS, H2Wire.ACK, 0, new byte[0]).ping(7).windowUpdate(0, 1000).headers(1, es | eh, get)));
    s.put("accept-post-with-data", h2(3, new H2Wire().settings().headers(1, eh, post).frame(H2Wire.DATA, es, 1, "hello".getBytes(StandardCharsets.US_ASCII))));
    s.put("accept-padded-priority-headers", h2(0, new H2Wire().settings().headers(1, es | eh | H2Wire.PADDED | H2Wire.PRIORITY_FLAG, padded(get))));
    s.put("accept-continuation", h2(0, new H2Wire().settings().headers(1, es, slice(get, 0, 3)).frame(H2Wire.CONTINUATION, eh, 1, slice(get, 3, get.length))));
    s.put("accept-several-streams", h2(0, new H2Wire().settings().headers(1, es | eh, get).headers(3, es | eh, get).headers(5, es | eh, get)));
    s.put("accept-priority-and-unknown-frame", h2(0, new H2Wire().settings().frame(H2Wire.PRIORITY, 0, 3, new byte[] {0, 0, 0, 1, 16}).frame(0x42, 0, 0, new byte[] {1, 2}).headers(1, es | eh, get)));
    s.put("accept-client-goaway", h2(0, new H2Wire().settings().headers(1, es | eh, get).frame(H2Wire.GOAWAY, 0, 0, new byte[8])));
    H2Wire rapid = new H2Wire().settings();
    for (int i = 0; i < 12; i++) {
      rapid.headers(1 + 2 * i, eh, get).rst(1 + 2 * i, 8);
    }
    s.put("reject-rapid-reset", h2(0, rapid));
    H2Wire madeYouReset = new H2Wire().settings();
    for (int i = 0; i < 12; i++) {
      madeYouReset.headers(1 + 2 * i, es | eh, get).windowUpdate(1 + 2 * i, 0);
    }
    s.put("reject-made-you-reset", h2(0, madeYouReset));
    H2Wire emptyContinuations = new H2Wire().settings().headers(1, es, get);
    for (int i = 0; i < 20; i++) {
      emptyContinuations.frame(H2Wire.CONTINUATION, 0, 1, new byte[0]);
    }
    s.put("reject-continuation-flood-empty", h2(0, emptyContinuations));
    H2Wire endless = new H2Wire().settings().headers(1, es, get);
    for (int i = 0; i < 4; i++) {
      endless.frame(H2Wire.CONTINUATION, 0, 1, filler(3000));
    }
    s.put("reject-continuation-never-ends", h2(0, endless));
    s.put("reject-hpack-bomb", h2(0, new H2Wire().settings().headers(1, es | eh, hpackBomb())));
    H2Wire settingsFlood = new H2Wire();
    for (int i = 0; i < 150; i++) {
      settingsFlood.settings();
    }
    s.put("reject-settings-flood", h2(0, settingsFlood));
    H2Wire pingFlood = new H2Wire().settings();
    for (int i = 0; i < 150; i++) {
      pingFlood.ping(i);
    }
    s.put("reject-ping-flood", h2(0, pingFlood));
    s.put("reject-window-update-overflow", h2(0, new H2Wire().settings().windowUpdate(0, 0x7fffffff).windowUpdate(0, 0x7fffffff)));
    s.put("reject-window-update-zero-connection", h2(0, new H2Wire().settings().windowUpdate(0, 0)));
    s.put("reject-stream-id-even", h2(0, new H2Wire().settings().headers(2, es | eh, get)));
    s.put("reject-stream-id-decreasing", h2(0, new H2Wire().settings().headers(5, es | eh, get).headers(3, es | eh, get)));
    s.put("reject-stream-id-exhausted", h2(0, new H2Wire().settings().headers(0x7fffffff, es | eh, get).headers(1, es | eh, get)));
    s.put("reject-missing-path", h2(0, new H2Wire().settings().headers(1, es | eh, new byte[] {(byte) 0x82, (byte) 0x86, 0x01, 0x01, 'a'})));
    s.put("reject-duplicate-method", h2(0, new H2Wire().settings().headers(1, es | eh, concat(new byte[] {(byte) 0x83}, get))));
    s.put("reject-pseudo-after-regular", h2(0, new H2Wire().settings().headers(1, es | eh, concat(get, new byte[] {0x0f, 0x10, 0x01, 'x', (byte) 0x84})))); // content-type: x, then :path
    s.put("reject-uppercase-name", h2(0, new H2Wire().settings().headers(1, es | eh, concat(get, literalNewName("X-Up", "1")))));
    s.put("reject-connection-header", h2(0, new H2Wire().settings().headers(1, es | eh, concat(get, literalNewName("connection", "close")))));
    s.put("reject-data-on-idle-stream", h2(0, new H2Wire().settings().frame(H2Wire.DATA, es, 7, new byte[] {1})));
    s.put("reject-settings-bad-length", h2(0, new H2Wire().frame(H2Wire.SETTINGS, 0, 0, new byte[5])));
    s.put("reject-frame-too-large", h2(0, new H2Wire().settings().frame(H2Wire.DATA, 0, 1, new byte[17000])));
    s.put("reject-push-promise-from-client", h2(0, new H2Wire().settings().frame(H2Wire.PUSH_PROMISE, eh, 1, concat(new byte[] {0, 0, 0, 2}, get))));
    s.put("reject-body-too-large", h2(0, new H2Wire().settings().headers(1, eh, concat(post, new byte[] {0x0f, 0x0d, 0x04, '5', '0', '0', '0'})))); // content-length: 5000
    s.put("reject-too-many-streams", h2(0, manyStreams(12, get)));
    return s;
  }

  static Map<String, byte[]> hpack() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("accept-static-get", blocks(H2Wire.request("GET", "example.com")));
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    H2Wire.indexedLiteral(first, "x-trace", "abc");
    s.put("accept-dynamic-table-reuse", blocks(concat(H2Wire.request("GET", "a"), first.toByteArray()), concat(H2Wire.request("GET", "a"), new byte[] {(byte) 0xbe})));
    s.put("accept-netty-encoded-huffman", blocks(encode(), encode()));
    s.put("accept-table-size-update", blocks(concat(new byte[] {0x3f, (byte) 0xe1, 0x1f}, H2Wire.request("GET", "a")))); // size update to 4096
    s.put("reject-table-size-update-too-large", blocks(concat(new byte[] {0x3f, (byte) 0xe1, 0x3f}, H2Wire.request("GET", "a")))); // 8192
    s.put("reject-index-zero", blocks(new byte[] {(byte) 0x80}));
    s.put("reject-index-beyond-table", blocks(new byte[] {(byte) 0xff, 0x40}));
    s.put("reject-integer-overflow", blocks(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}));
    s.put("reject-string-beyond-block", blocks(new byte[] {0x40, 0x7f, 0x7f}));
    s.put("reject-bomb", blocks(hpackBomb()));
    s.put("reject-uppercase-name", blocks(concat(H2Wire.request("GET", "a"), literalNewName("Bad", "1"))));
    s.put("reject-pseudo-after-regular", blocks(concat(literalNewName("x", "1"), new byte[] {(byte) 0x82})));
    s.put("reject-bad-huffman", blocks(new byte[] {0x40, (byte) 0x81, (byte) 0xff, 0x01, 'v'}));
    return s;
  }

  static Map<String, byte[]> h1Client() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    s.put("accept-content-length", ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"));
    s.put("accept-chunked-trailers", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n"));
    s.put("accept-close-delimited", ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end"));
    s.put("accept-no-content", ascii("HTTP/1.1 204 No Content\r\n\r\n"));
    s.put("accept-continue-then-ok", ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    s.put("accept-early-hints", ascii("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"));
    s.put("accept-http10", ascii("HTTP/1.0 500 Oops\r\n\r\nbody"));
    s.put("accept-body-at-limit", ascii("HTTP/1.1 200 OK\r\nContent-Length: 4096\r\n\r\n" + "b".repeat(4096)));
    s.put("reject-status-line-too-long", ascii("HTTP/1.1 200 " + "O".repeat(300) + "\r\n\r\n"));
    s.put("reject-headers-too-large", ascii("HTTP/1.1 200 OK\r\nX: " + "h".repeat(1100) + "\r\n\r\n"));
    s.put("reject-too-many-headers", ascii("HTTP/1.1 200 OK\r\n" + "X: 1\r\n".repeat(20) + "Content-Length: 0\r\n\r\n"));
    s.put("reject-body-too-large-declared", ascii("HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n"));
    s.put("reject-body-too-large-chunked", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n" + "x".repeat(5000) + "\r\n0\r\n\r\n"));
    s.put("reject-bad-chunk-size", ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nqq\r\n"));
    s.put("reject-garbage", ascii("SSH-2.0-OpenSSH_9.6\r\n"));
    s.put("reject-truncated-body", ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"));
    s.put("reject-empty", new byte[0]);
    s.put("reject-status-out-of-range", ascii("HTTP/1.1 2 OK\r\nContent-Length: 2\r\n\r\nok"));
    s.put("reject-status-above-599", ascii("HTTP/1.1 999 Custom\r\nContent-Length: 0\r\n\r\n"));
    s.put("reject-duplicate-content-length", ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"));
    return s;
  }

  /**
   * What a server sends the HTTP/2 client (its GET is stream 3): SETTINGS, then the response. Header
   * blocks use the static table ({@code :status} 200 is index 8) or literals with a static name.
   */
  static Map<String, byte[]> h2Client() {
    Map<String, byte[]> s = new LinkedHashMap<>();
    int es = H2Wire.END_STREAM, eh = H2Wire.END_HEADERS;
    int id = 3; // the GET's stream: Netty's client codec keeps stream 1 for an h2c upgrade
    byte[] ok = {(byte) 0x88};
    byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
    s.put("accept-headers-only", new H2Wire().settings().headers(id, es | eh, ok).bytes());
    s.put("accept-headers-and-data", new H2Wire().settings().headers(id, eh, ok).frame(H2Wire.DATA, es, id, hello).bytes());
    s.put("accept-settings-ack-ping-window", new H2Wire().settings(1, 4096, 3, 100, 4, 65535, 5, 16384).frame(H2Wire.SETTINGS, H2Wire.ACK, 0, new byte[0])
        .ping(9).windowUpdate(0, 1000).headers(id, eh, ok).frame(H2Wire.DATA, 0, id, hello).windowUpdate(id, 10).frame(H2Wire.DATA, es, id, hello).bytes());
    s.put("accept-trailers", new H2Wire().settings().headers(id, eh, ok).frame(H2Wire.DATA, 0, id, hello).headers(id, es | eh, literalNewName("grpc-status", "0")).bytes());
    s.put("accept-continuation", new H2Wire().settings().headers(id, es, ok).frame(H2Wire.CONTINUATION, eh, id, literal(31, "text/plain")).bytes());
    s.put("accept-informational-then-final", new H2Wire().settings().headers(id, eh, literal(0x08, "103")).headers(id, es | eh, new byte[] {(byte) 0x8d}).bytes());
    s.put("accept-padded-data-and-headers", new H2Wire().settings().headers(id, eh | H2Wire.PADDED | H2Wire.PRIORITY_FLAG, padded(ok))
        .frame(H2Wire.DATA, es | H2Wire.PADDED, id, concat(new byte[] {3}, hello, new byte[3])).bytes());
    s.put("accept-body-at-limit", new H2Wire().settings().headers(id, eh, ok).frame(H2Wire.DATA, 0, id, filler(4000)).frame(H2Wire.DATA, es, id, filler(96)).bytes());
    s.put("accept-dynamic-table", new H2Wire().settings().headers(id, es | eh, concat(ok, indexed("x-a", "1"), new byte[] {(byte) (0x80 | 62)})).bytes());
    s.put("accept-unknown-frame-and-priority", new H2Wire().settings().frame(0x42, 0, 0, new byte[] {1}).frame(H2Wire.PRIORITY, 0, id, new byte[] {0, 0, 0, 0, 16})
        .headers(id, es | eh, ok).bytes());
    s.put("reject-empty", new byte[0]);
    s.put("reject-headers-before-settings", new H2Wire().headers(id, es | eh, ok).bytes());
    s.put("reject-truncated-stream", new H2Wire().settings().headers(id, eh, ok).frame(H2Wire.DATA, 0, id, hello).bytes());
    s.put("reject-body-too-large", new H2Wire().settings().headers(id, eh, ok).frame(H2Wire.DATA, 0, id, filler(4000)).frame(H2Wire.DATA, es, id, filler(200)).bytes());
    s.put("reject-declared-length-too-large", new H2Wire().settings().headers(id, eh, concat(ok, literal(28, "5000"))).bytes());
    s.put("reject-missing-status", new H2Wire().settings().headers(id, es | eh, literal(31, "text/plain")).bytes());
    s.put("reject-status-out-of-range", new H2Wire().settings().headers(id, es | eh, literal(0x08, "999")).bytes());
    s.put("reject-status-not-a-number", new H2Wire().settings().headers(id, es | eh, literal(0x08, "2x0")).bytes());
    s.put("reject-rst-stream", new H2Wire().settings().rst(id, 7).bytes());
    s.put("reject-goaway", new H2Wire().settings().frame(H2Wire.GOAWAY, 0, 0, concat(H2Wire.int32(0), H2Wire.int32(2))).bytes());
    s.put("reject-frame-too-large", new H2Wire().settings().headers(id, eh, ok).frame(H2Wire.DATA, 0, id, new byte[17000]).bytes());
    s.put("reject-data-before-headers", new H2Wire().settings().frame(H2Wire.DATA, es, id, hello).bytes());
    s.put("reject-push-promise", new H2Wire().settings().frame(H2Wire.PUSH_PROMISE, eh, id, concat(H2Wire.int32(2), ok)).bytes());
    s.put("reject-header-list-too-large", new H2Wire().settings().headers(id, es | eh, concat(ok, literal(32, "c".repeat(5000)))).bytes());
    s.put("reject-hpack-bomb", new H2Wire().settings().headers(id, es | eh, concat(ok, indexed("x-bomb", "z".repeat(3000)), repeat((byte) (0x80 | 62), 60))).bytes());
    s.put("reject-bad-huffman", new H2Wire().settings().headers(id, es | eh, concat(ok, new byte[] {0x40, (byte) 0x81, (byte) 0xff, 0x01, 'v'})).bytes());
    s.put("reject-uppercase-name", new H2Wire().settings().headers(id, es | eh, concat(ok, literalNewName("X-Up", "1"))).bytes());
    s.put("reject-window-update-overflow", new H2Wire().settings().windowUpdate(0, 0x7fffffff).windowUpdate(0, 0x7fffffff).headers(id, es | eh, ok).bytes());
    s.put("reject-settings-bad-length", new H2Wire().frame(H2Wire.SETTINGS, 0, 0, new byte[5]).headers(id, es | eh, ok).bytes());
    s.put("reject-continuation-never-ends", new H2Wire().settings().headers(id, es, ok).frame(H2Wire.CONTINUATION, 0, id, filler(3000)).frame(H2Wire.CONTINUATION, 0, id, filler(3000)).bytes());
    s.put("reject-http1-answer", ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    return s;
  }

  // ---- helpers

  /** A literal field without indexing whose name is static-table entry {@code nameIndex}. */
  private static byte[] literal(int nameIndex, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    H2Wire.integer(b, 0x00, 4, nameIndex);
    H2Wire.string(b, value);
    return b.toByteArray();
  }

  private static byte[] indexed(String name, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    H2Wire.indexedLiteral(b, name, value);
    return b.toByteArray();
  }

  private static byte[] repeat(byte v, int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, v);
    return b;
  }

  private static byte[] seed(int chunkSelector, String wire) {
    return concat(new byte[] {(byte) chunkSelector}, wire.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] h2(int chunkSelector, H2Wire frames) {
    return concat(new byte[] {(byte) chunkSelector}, frames.bytes());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] blocks(byte[]... blocks) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] block : blocks) {
      b.write(block.length >>> 8);
      b.write(block.length);
      b.writeBytes(block);
    }
    return b.toByteArray();
  }

  /** A 3000-byte field entered into the dynamic table, then referenced 60 times: ~180 KB from ~3 KB. */
  static byte[] hpackBomb() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(H2Wire.request("GET", "a"));
    H2Wire.indexedLiteral(b, "x-bomb", "z".repeat(3000));
    for (int i = 0; i < 60; i++) {
      b.write(0x80 | 62);
    }
    return b.toByteArray();
  }

  private static byte[] literalNewName(String name, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0x00);
    H2Wire.string(b, name);
    H2Wire.string(b, value);
    return b.toByteArray();
  }

  private static byte[] encode() {
    Http2Headers h = new DefaultHttp2Headers().method("GET").scheme("https").path("/search?q=fuzz").authority("example.com");
    h.add("user-agent", "asupersync-fuzz/1.0");
    h.add("accept-encoding", "gzip, deflate");
    DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.encodeHeaders(1, h, out);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      return bytes;
    } catch (Http2Exception e) {
      throw new UncheckedIOException(new java.io.IOException(e));
    } finally {
      out.release();
    }
  }

  private static H2Wire manyStreams(int n, byte[] get) {
    H2Wire w = new H2Wire().settings();
    for (int i = 0; i < n; i++) {
      w.headers(1 + 2 * i, H2Wire.END_HEADERS, get); // open, never finished: over maxConcurrentStreams
    }
    return w;
  }

  private static byte[] padded(byte[] block) {
    // pad length 2, then the priority fields (dependency 0, weight 16), the block, two zero bytes of padding
    return concat(new byte[] {2, 0, 0, 0, 0, 16}, block, new byte[2]);
  }

  private static byte[] filler(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 0x82);
    return b;
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }
}
