package io.asupersync.protocols.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.asupersync.Runtime;
import io.asupersync.channel.MpscChannel;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.protocols.http.HttpResponse;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Independent peers against the echo endpoint: the npm {@code ws} client and headless Chromium. Each
 * test is skipped, saying what to install, only when its peer is absent (CI installs both: see
 * {@code .ci/run}).
 */
class WebSocketPeerTests {

  /** The peer assets, relative to the module directory Surefire runs in. */
  static final Path PEERS = Path.of("src/test/peers/websocket");

  private final Runtime runtime = Runtime.builder().shutdownTimeout(Duration.ofSeconds(10)).build();
  private final MpscChannel<CloseStatus> pageDone = MpscChannel.bounded(1);
  private final AtomicReference<CloseStatus> serverSawClose = new AtomicReference<>();
  private final AsupersyncServer server = AsupersyncServer.builder(runtime)
      .cleartextPort(0)
      .websocket("/ws/echo", this::echoUntilDone)
      .get("/peer/chromium.html", (cx, request) -> HttpResponse.status(200)
          .contentType("text/html; charset=utf-8")
          .body(Files.readString(PEERS.resolve("chromium-echo.html")))
          .build())
      .get("/peer/done", (cx, request) -> {
        CloseStatus closed = pageDone.recv(cx, Duration.ofSeconds(20));
        return HttpResponse.text(closed != null ? 200 : 504, String.valueOf(closed));
      })
      .start();

  /** Echoes until the peer closes, or until the text "done", on which the server closes (1000). */
  private void echoUntilDone(io.asupersync.Cx cx, WebSocketSession session) throws Exception {
    try {
      while (true) {
        WebSocketMessage m = session.receive(cx);
        if (m.equals(WebSocketMessage.text("done"))) {
          session.close(cx, CloseStatus.NORMAL, "bye");
          serverSawClose.set(session.closeStatus().orElseThrow());
          pageDone.trySend(session.closeStatus().orElseThrow());
          return;
        }
        session.send(cx, m);
      }
    } catch (WebSocketClosedException e) {
      serverSawClose.set(e.status());
    }
  }

  @AfterEach
  void tearDown() {
    server.close();
    runtime.close();
  }

  @Test
  void npmWsClientExchangesTextAndBinaryOverPermessageDeflate() throws Exception {
    assumeTrue(onPath("node"), "node is not installed (Debian package nodejs); CI installs it");
    assumeTrue(Files.isDirectory(PEERS.resolve("node_modules/ws")),
        "the npm ws client is not installed: run npm ci --prefix asupersync-protocols/src/test/peers/websocket");
    Result r = run(PEERS, List.of("node", "client.js", "ws://127.0.0.1:" + server.cleartextPort() + "/ws/echo"));
    assertThat(r.exit).as("ws client exit; stdout %s; stderr %s", r.stdout, r.stderr).isZero();
    assertThat(r.stdout).contains("\"opened\":true", "\"closeCode\":1000", "\"extensions\":\"permessage-deflate");
    assertThat(r.stdout.split("\"match\":true", -1)).hasSize(4);
    Poll.until("server saw the close", () -> serverSawClose.get() != null);
    assertThat(serverSawClose.get().code()).isEqualTo(CloseStatus.NORMAL);
  }

  @Test
  void headlessChromiumExchangesTextAndBinary() throws Exception {
    assumeTrue(onPath("chromium"), "chromium is not installed (Debian package chromium); CI installs it");
    Path profile = Files.createTempDirectory("asupersync-chromium");
    try {
      Result r = run(PEERS, List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
          "--user-data-dir=" + profile, "--dump-dom",
          "http://127.0.0.1:" + server.cleartextPort() + "/peer/chromium.html"));
      assertThat(r.exit).as("chromium exit; stderr %s", r.stderr).isZero();
      String pre = "<pre id=\"result\">";
      int start = r.stdout.indexOf(pre);
      int end = r.stdout.indexOf("</pre>");
      assertThat(start).as("dumped DOM: %s", r.stdout).isNotNegative();
      assertThat(r.stdout.substring(start + pre.length(), end).lines().toList()).as("lines the page wrote")
          .containsExactly("open extensions=permessage-deflate", "text=hello from chromium", "binary=1,2,3,255,0");
      assertThat(serverSawClose.get()).isEqualTo(new CloseStatus(CloseStatus.NORMAL, "bye"));
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private record Result(int exit, String stdout, String stderr) {}

  /** Runs a peer to completion (at most 60 s), capturing its output. */
  private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("peer", ".out");
    Path err = Files.createTempFile("peer", ".err");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(command))
          .directory(dir.toFile())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return new Result(-1, Files.readString(out, StandardCharsets.UTF_8), "timed out; " + tail(err));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), tail(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static String tail(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
