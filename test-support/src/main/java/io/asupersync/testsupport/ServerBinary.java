package io.asupersync.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/** Finding a server binary and cleaning up after the launchers. */
final class ServerBinary {
  private ServerBinary() {}

  /** The executable {@code name} from the usual Debian places or the PATH, or null. */
  static @Nullable Path find(String name) {
    for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/local/bin"}) {
      Path p = Path.of(dir, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(":")) {
        Path p = Path.of(entry, name);
        if (!entry.isEmpty() && Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return null;
  }

  /** The executable {@code name}; skips the calling test (with the reason) when it is not installed. */
  static Path require(String name) {
    Path p = find(name);
    Assumptions.assumeTrue(p != null,
        name + " is not installed (Debian package " + name + "; .ci/run installs it): skipping tests against a real server");
    return java.util.Objects.requireNonNull(p);
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException ignored) {
      // a leftover temporary directory is harmless
    }
  }

  static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return "";
    }
  }
}
