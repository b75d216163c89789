package io.asupersync.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.grpc.GrpcRouter;
import io.asupersync.protocols.http.AsupersyncServer;
import io.asupersync.testsupport.PythonGrpcio;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Python grpcio (Debian's {@code python3-grpcio}, gRPC core's own HTTP/2 stack) as a second
 * independent client of our server: {@code src/test/python/interop_client.py} runs one interop case
 * per process. Skipped, saying why, only when {@code /usr/bin/python3} cannot import {@code grpc}
 * (CI installs python3-grpcio).
 */
class PythonGrpcioInteropTests {

  private static final Path SCRIPT = Path.of("src/test/python/interop_client.py");

  private static Runtime runtime;
  private static AsupersyncServer server;

  @BeforeAll
  static void start() throws Exception {
    PythonGrpcio.require();
    runtime = Runtime.builder().build();
    server =
        GrpcRouter.builder().service(InteropTestService.create()).build()
            .installOn(AsupersyncServer.builder(runtime).bindAddress(InetAddress.getLoopbackAddress()).cleartextPort(0))
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
      runtime.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"empty_unary", "large_unary", "server_streaming", "cancel_after_begin"})
  void pythonGrpcioClientPasses(String testCase) throws Exception {
    Process process =
        new ProcessBuilder(PythonGrpcio.PYTHON, SCRIPT.toString(), Integer.toString(server.cleartextPort()), testCase)
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", testCase).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s: %s", testCase, output).isZero();
    assertThat(output).contains(testCase + " passed");
    if (testCase.equals("cancel_after_begin")) {
      awaitNoCallsInFlight();
    }
  }

  /** The cancelled call's region closed on the server. */
  private static void awaitNoCallsInFlight() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.inFlight() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(5);
    }
    assertThat(server.inFlight()).as("calls in flight on the server").isZero();
  }
}
