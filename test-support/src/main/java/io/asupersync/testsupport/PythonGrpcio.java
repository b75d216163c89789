package io.asupersync.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/** Debian's python3 with grpcio (package python3-grpcio), the independent Python gRPC peer. */
public final class PythonGrpcio {

  public static final String PYTHON = "/usr/bin/python3";

  private PythonGrpcio() {}

  /** Skips the calling test, with the reason, unless {@code import grpc} works in {@link #PYTHON}. */
  public static void require() throws InterruptedException {
    String missing = missing();
    Assumptions.assumeTrue(
        missing == null, () -> "python3-grpcio is not available (" + missing + "): install the Debian package python3-grpcio");
  }

  /** Why python3-grpcio cannot be used, or null when {@code import grpc} works. */
  private static @Nullable String missing() throws InterruptedException {
    if (!Files.isExecutable(Path.of(PYTHON))) {
      return PYTHON + " not found";
    }
    try {
      Process probe = new ProcessBuilder(PYTHON, "-c", "import grpc").redirectErrorStream(true).start();
      if (!probe.waitFor(30, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return "import grpc did not finish";
      }
      return probe.exitValue() == 0 ? null : new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return e.toString();
    }
  }
}
