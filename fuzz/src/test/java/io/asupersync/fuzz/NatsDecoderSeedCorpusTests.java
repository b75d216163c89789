package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Keeps the committed corpus of {@link NatsDecoderFuzzTests#decoder} meaningful: every seed is
 * there, and each {@code accept-}/{@code reject-} seed still decodes or fails as its name says.
 *
 * <p>To regenerate (the path is relative to {@code fuzz/}): {@code mvn test -pl fuzz -am
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=NatsDecoderSeedCorpusTests
 * -Dasupersync.fuzz.regenerate.nats=src/test/resources/io/asupersync/fuzz/NatsDecoderFuzzTestsInputs/decoder}.
 */
class NatsDecoderSeedCorpusTests {

  private static Path corpus() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(
        NatsDecoderSeedCorpusTests.class.getResource("NatsDecoderFuzzTestsInputs/decoder")).toURI());
  }

  @Test
  void everyGeneratedSeedIsCommittedUnchanged() throws Exception {
    Path dir = corpus();
    for (Map.Entry<String, byte[]> seed : NatsDecoderSeeds.generate().entrySet()) {
      Path file = dir.resolve(seed.getKey());
      assertThat(file).as("seed %s (regenerate the corpus)", seed.getKey()).isRegularFile();
      assertThat(Files.readAllBytes(file)).as(seed.getKey()).isEqualTo(seed.getValue());
    }
  }

  @Test
  void eachSeedDecodesOrFailsAsItsNameSays() throws Exception {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(corpus())) {
      seeds = files.sorted().toList();
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(20);
    for (Path seed : seeds) {
      byte[] input = Files.readAllBytes(seed);
      String name = seed.getFileName().toString();
      boolean accepted = NatsDecoderFuzzTests.accepted(Arrays.copyOfRange(input, 1, input.length));
      if (name.startsWith("accept-")) {
        assertThat(accepted).as(name).isTrue();
      } else if (name.startsWith("reject-")) {
        assertThat(accepted).as(name).isFalse();
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "asupersync.fuzz.regenerate.nats", matches = ".+")
  void regenerate() throws IOException {
    Path dir = Path.of(System.getProperty("asupersync.fuzz.regenerate.nats"));
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : NatsDecoderSeeds.generate().entrySet()) {
      Files.write(dir.resolve(seed.getKey()), seed.getValue());
    }
  }
}
