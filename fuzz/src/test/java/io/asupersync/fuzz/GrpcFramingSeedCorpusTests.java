package io.asupersync.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.grpc.internal.GrpcTimeout;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Keeps the committed corpora of {@link GrpcFramingFuzzTests} meaningful: every generated seed is
 * there, and each {@code accept-}/{@code reject-} seed is still decoded or refused as its name says.
 *
 * <p>To regenerate (paths relative to {@code fuzz/}): {@code mvn test -pl fuzz -am
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=GrpcFramingSeedCorpusTests
 * -Dasupersync.fuzz.regenerate=src/test/resources/io/asupersync/fuzz/GrpcFramingFuzzTestsInputs}.
 */
class GrpcFramingSeedCorpusTests {

  private static Path corpus(String target) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(GrpcFramingSeedCorpusTests.class.getResource("GrpcFramingFuzzTestsInputs/" + target)).toURI());
  }

  @Test
  void everyGeneratedSeedIsCommitted() throws Exception {
    for (String name : GrpcFramingSeeds.framing().keySet()) {
      assertThat(corpus("messageFraming").resolve(name)).as("seed %s (regenerate the corpus)", name).isRegularFile();
    }
    for (String name : GrpcFramingSeeds.timeouts().keySet()) {
      assertThat(corpus("timeoutAndStatusMessage").resolve(name)).as("seed %s (regenerate the corpus)", name).isRegularFile();
    }
  }

  @Test
  void eachFramingSeedIsDecodedOrRefusedAsItsNameSays() throws Exception {
    checkSeeds("messageFraming", input -> GrpcFramingFuzzTests.deframe(input).failure() == null);
  }

  @Test
  void eachTimeoutSeedIsParsedOrRefusedAsItsNameSays() throws Exception {
    checkSeeds("timeoutAndStatusMessage", input -> GrpcTimeout.parseNanos(new String(input, StandardCharsets.ISO_8859_1)) != GrpcTimeout.MALFORMED);
  }

  private static void checkSeeds(String target, Predicate<byte[]> accepted) throws Exception {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(corpus(target))) {
      seeds = files.sorted().toList();
    }
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(10);
    for (Path seed : seeds) {
      String name = seed.getFileName().toString();
      boolean ok = accepted.test(Files.readAllBytes(seed));
      if (name.startsWith("accept-")) {
        assertThat(ok).as(name).isTrue();
      } else if (name.startsWith("reject-")) {
        assertThat(ok).as(name).isFalse();
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "asupersync.fuzz.regenerate", matches = ".+")
  void regenerate() throws IOException {
    Path root = Path.of(System.getProperty("asupersync.fuzz.regenerate"));
    write(root.resolve("messageFraming"), GrpcFramingSeeds.framing());
    write(root.resolve("timeoutAndStatusMessage"), GrpcFramingSeeds.timeouts());
  }

  private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
      Files.write(dir.resolve(seed.getKey()), seed.getValue());
    }
  }
}
