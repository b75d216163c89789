package io.asupersync.protocols.peers;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the independent peer tools (h2spec, curl, nghttp, openssl) as processes and finds them. */
final class PeerTools {
  private PeerTools() {}

  /** Exit code and combined stdout/stderr of a finished tool. */
  record Run(List<String> command, int exitCode, String output) {
    @Override
    public String toString() {
      return String.join(" ", command) + " -> exit " + exitCode + "\n" + output;
    }
  }

  /**
   * Runs {@code command}, writes {@code stdin} to it (then closes it), and waits at most {@code timeout}.
   * Output goes through a file, so a chatty tool never blocks on a full pipe.
   */
  static Run run(Duration timeout, String stdin, List<String> command) throws IOException, InterruptedException {
    Path output = Files.createTempFile("peer", ".out");
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The tool may exit before reading its input (a refused handshake); its output says why.
      }
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("did not finish within " + timeout + ": " + String.join(" ", command) + "\n" + Files.readString(output));
      }
      return new Run(List.copyOf(command), process.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  static Run run(List<String> command) throws IOException, InterruptedException {
    return run(Duration.ofSeconds(30), "", command);
  }

  /** Skips the calling test when a Debian peer tool is missing; CI installs them ({@code .ci/run}). */
  static void assumeOnPath(String tool) {
    boolean found =
        Optional.ofNullable(System.getenv("PATH")).stream()
            .flatMap(path -> List.of(path.split(java.io.File.pathSeparator)).stream())
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    requireOrSkip(found, tool + " is not on the PATH (.ci/run installs it)");
  }

  /**
   * The h2spec binary: {@code -Dh2spec.path}, else {@code .peers/h2spec} under the repository root (where
   * {@code scripts/fetch-h2spec.sh} puts it); skips the calling test when neither exists.
   */
  static Path h2spec() {
    String configured = System.getProperty("h2spec.path");
    Path binary = configured != null ? Path.of(configured) : repoRoot().resolve(".peers/h2spec");
    requireOrSkip(Files.isExecutable(binary), "h2spec not found at " + binary + ": run scripts/fetch-h2spec.sh");
    return binary;
  }

  /** The repository root: the nearest directory up from the working directory that has {@code scripts/}. */
  static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("scripts")) && Files.exists(d.resolve("pom.xml"))) {
        return d;
      }
    }
    throw new IllegalStateException("no repository root above " + dir);
  }

  /** Outside CI a missing tool skips the test; in CI ({@code CI=true}) it fails, so CI never skips silently. */
  private static void requireOrSkip(boolean present, String message) {
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      if (!present) {
        throw new AssertionError(message);
      }
    } else {
      Assumptions.assumeTrue(present, message);
    }
  }
}
