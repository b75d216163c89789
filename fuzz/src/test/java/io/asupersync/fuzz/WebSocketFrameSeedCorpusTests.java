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
 * Keeps the committed corpus of {@link WebSocketFrameFuzzTests#frameReader} meaningful: every generated
 * seed is there, each {@code accept-} seed is read to its end without a failure, and each {@code
 * reject-NNNN-} seed fails with close code NNNN.
 *
 * <p>To regenerate (the path is relative to {@code fuzz/}): {@code mvn test -pl fuzz -am
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=WebSocketFrameSeedCorpusTests
 * -Dasupersync.fuzz.regenerate=src/test/resources/io/asupersync/fuzz/WebSocketFrameFuzzTestsInputs/frameReader}.
 */
class WebSocketFrameSeedCorpusTests {

  private static Path corpus() throws URISyntaxException {
    return Path.of(Objects.requireNonNull(
        WebSocketFrameSeedCorpusTests.class.getResource("WebSocketFrameFuzzTestsInputs/frameReader")).toURI());
  }

  @Test
  void everyGeneratedSeedIsCommitted() throws Exception {
    Path dir = corpus();
    for (Map.Entry<String, byte[]> seed : WebSocketFrameSeeds.generate().entrySet()) {
      assertThat(dir.resolve(seed.getKey())).as("seed %s (regenerate the corpus)", seed.getKey()).isRegularFile();
      assertThat(Files.readAllBytes(dir.resolve(seed.getKey()))).as("seed %s is current", seed.getKey()).isEqualTo(seed.getValue());
    }
  }

  @Test
  void eachSeedIsReadOrRefusedAsItsNameSays() throws Exception {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(corpus())) {
      seeds = files.sorted().toList();
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(20);
    for (Path seed : seeds) {
      byte[] input = Files.readAllBytes(seed);
      String name = seed.getFileName().toString();
      WebSocketFrameFuzzTests.Mode mode = WebSocketFrameFuzzTests.Mode.of(input);
      WebSocketFrameFuzzTests.Result result =
          WebSocketFrameFuzzTests.read(mode, Arrays.copyOfRange(input, 2, input.length), Integer.MAX_VALUE);
      if (name.startsWith("accept-")) {
        assertThat(result.failure()).as(name).isZero();
        assertThat(result.events()).as(name).isNotEmpty();
      } else if (name.startsWith("reject-")) {
        assertThat(result.failure()).as(name).isEqualTo(Integer.parseInt(name.substring(7, 11)));
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "asupersync.fuzz.regenerate", matches = ".+")
  void regenerate() throws IOException {
    Path dir = Path.of(System.getProperty("asupersync.fuzz.regenerate"));
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : WebSocketFrameSeeds.generate().entrySet()) {
      Files.write(dir.resolve(seed.getKey()), seed.getValue());
    }
  }
}
