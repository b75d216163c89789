package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Keeps the committed corpus of {@link TraceFileFuzzTests#taggedReader} meaningful: every seed is
 * there, and each {@code accept-}/{@code reject-} seed is still read or refused as its name says (a
 * format change that silently turned every seed into a rejection would leave the fuzzer testing only
 * the first line check).
 *
 * <p>To regenerate after a format change (the path is relative to {@code fuzz/}): {@code mvn test -pl
 * fuzz -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=TraceFileSeedCorpusTests
 * -Dasupersync.fuzz.regenerate=src/test/resources/io/asupersync/fuzz/TraceFileFuzzTestsInputs/taggedReader}.
 * The {@code fuzzed-} inputs beside the generated seeds were kept from fuzzing runs, one per distinct
 * rejection; drop them when the format changes.
 */
class TraceFileSeedCorpusTests {

  private static Path corpus() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(
        TraceFileSeedCorpusTests.class.getResource("TraceFileFuzzTestsInputs/taggedReader")).toURI());
  }

  @Test
  void everyGeneratedSeedIsCommitted() throws Exception {
    Path dir = corpus();
    for (String name : TraceFileSeeds.generate().keySet()) {
      assertThat(dir.resolve(name)).as("seed %s (regenerate the corpus)", name).isRegularFile();
    }
  }

  @Test
  void eachSeedIsReadOrRefusedAsItsNameSays() throws Exception {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(corpus())) {
      seeds = files.sorted().toList();
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(10);
    for (Path seed : seeds) {
      byte[] input = Files.readAllBytes(seed);
      String name = seed.getFileName().toString();
      boolean accepted = TraceFileFuzzTests.read((input[0] & 0xff) % 4, java.util.Arrays.copyOfRange(input, 1, input.length)) != null;
      if (name.startsWith("accept-")) {
        assertThat(accepted).as(name).isTrue();
      } else if (name.startsWith("reject-")) {
        assertThat(accepted).as(name).isFalse();
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "asupersync.fuzz.regenerate", matches = ".+")
  void regenerate() throws IOException {
    Path dir = Path.of(System.getProperty("asupersync.fuzz.regenerate"));
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : TraceFileSeeds.generate().entrySet()) {
      Files.write(dir.resolve(seed.getKey()), seed.getValue());
    }
  }
}
