package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The seed corpus of a target whose seeds are generated beside it: {@code
 * src/test/resources/io/asupersync/fuzz/<Class>Inputs/<method>/}, where Jazzer's regression mode reads
 * them. Every generated seed must be committed unchanged, and each {@code accept-}/{@code reject-} file
 * must still be accepted or refused as its name says (a seed that stops reaching its check is noticed).
 * With {@code -Dasupersync.fuzz.regenerate=<path to fuzz/>} the seeds are written instead.
 */
final class SeedFiles {

  private SeedFiles() {}

  static void check(Class<?> target, String method, Map<String, byte[]> seeds, Predicate<byte[]> accepted) throws IOException {
    String regenerate = System.getProperty("asupersync.fuzz.regenerate");
    Path dir = Path.of(regenerate != null ? regenerate : ".", "src/test/resources/io/asupersync/fuzz",
        target.getSimpleName() + "Inputs", method);
    if (regenerate != null) {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
        Files.write(dir.resolve(seed.getKey()), seed.getValue());
      }
    }
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Path file = dir.resolve(seed.getKey());
      assertThat(file).as("seed %s (regenerate the corpus)", seed.getKey()).isRegularFile();
      assertThat(Files.readAllBytes(file)).as(seed.getKey()).isEqualTo(seed.getValue());
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.sorted().toList();
    }
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.startsWith("accept-") || name.startsWith("reject-")) {
        assertThat(accepted.test(Files.readAllBytes(file))).as("seed %s accepted", name).isEqualTo(name.startsWith("accept-"));
      }
    }
  }
}
