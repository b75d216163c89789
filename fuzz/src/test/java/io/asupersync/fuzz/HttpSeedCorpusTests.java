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
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Keeps the committed corpora of the HTTP targets meaningful: every seed of {@link HttpSeeds} is
 * committed unchanged, and each {@code accept-}/{@code reject-} seed is still served or rejected as its
 * name says (so a seed that stops reaching its limit check is noticed).
 *
 * <p>To regenerate (paths relative to {@code fuzz/}): {@code mvn test -pl fuzz -am
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtest=HttpSeedCorpusTests
 * -Dasupersync.fuzz.regenerate.http=src/test/resources/io/asupersync/fuzz}.
 */
class HttpSeedCorpusTests {

  private static ServerPipelineHarness harness;

  @BeforeAll
  static void start() {
    harness = new ServerPipelineHarness(java.time.Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static Path corpus(String target) throws URISyntaxException {
    return Path.of(Objects.requireNonNull(HttpSeedCorpusTests.class.getResource(HttpSeeds.DIRECTORIES.get(target))).toURI());
  }

  @Test
  void everyGeneratedSeedIsCommittedUnchanged() throws Exception {
    for (String target : HttpSeeds.DIRECTORIES.keySet()) {
      Path dir = corpus(target);
      for (Map.Entry<String, byte[]> seed : HttpSeeds.generate(target).entrySet()) {
        Path file = dir.resolve(seed.getKey());
        assertThat(file).as("%s seed %s (regenerate the corpus)", target, seed.getKey()).isRegularFile();
        assertThat(Files.readAllBytes(file)).as(seed.getKey()).isEqualTo(seed.getValue());
      }
    }
  }

  @Test
  void http1ServerSeedsAreServedOrRejectedAsNamed() throws Exception {
    check("h1-server", input -> {
      byte[] wire = Arrays.copyOfRange(input, 1, input.length);
      String answer = new String(harness.drive(wire, Integer.MAX_VALUE).answer(), java.nio.charset.StandardCharsets.ISO_8859_1);
      List<Integer> statuses = Http1ServerFuzzTests.statuses(answer);
      return !statuses.isEmpty() && statuses.stream().noneMatch(Http1ServerFuzzTests.REJECTIONS::contains);
    });
  }

  @Test
  void http2ServerSeedsAreServedOrRejectedAsNamed() throws Exception {
    check("h2-server", input -> {
      byte[] wire = HttpSeeds.concat(H2Wire.PREFACE, Arrays.copyOfRange(input, 1, input.length));
      return Http2ServerFuzzTests.servedWithoutRejection(harness.drive(wire, Integer.MAX_VALUE).answer());
    });
  }

  @Test
  void hpackSeedsDecodeOrFailAsNamed() throws Exception {
    check("hpack", input -> {
      try {
        return HpackFuzzTests.decode(input) == HpackFuzzTests.blocks(input);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void http1ClientSeedsAreAcceptedOrFailAsNamed() throws Exception {
    Http1ClientFuzzTests.start();
    try {
      check("h1-client", input -> Http1ClientFuzzTests.call(input).startsWith("status"));
    } finally {
      Http1ClientFuzzTests.stop();
    }
  }

  @Test
  void http2ClientSeedsAreAcceptedOrFailAsNamed() throws Exception {
    Http2ClientFuzzTests.start();
    try {
      check("h2-client", input -> Http2ClientFuzzTests.call(input).startsWith("status"));
    } finally {
      Http2ClientFuzzTests.stop();
    }
  }

  private static void check(String target, Predicate<byte[]> accepted) throws Exception {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(corpus(target))) {
      seeds = files.sorted().toList();
    }
    assertThat(seeds).as(target).hasSizeGreaterThanOrEqualTo(10);
    for (Path seed : seeds) {
      String name = seed.getFileName().toString();
      boolean expectAccept = name.startsWith("accept-");
      if (expectAccept || name.startsWith("reject-")) {
        assertThat(accepted.test(Files.readAllBytes(seed))).as("%s seed %s accepted", target, name).isEqualTo(expectAccept);
      }
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "asupersync.fuzz.regenerate.http", matches = ".+")
  void regenerate() throws IOException {
    Path root = Path.of(System.getProperty("asupersync.fuzz.regenerate.http"));
    for (String target : HttpSeeds.DIRECTORIES.keySet()) {
      Path dir = root.resolve(HttpSeeds.DIRECTORIES.get(target));
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> seed : HttpSeeds.generate(target).entrySet()) {
        Files.write(dir.resolve(seed.getKey()), seed.getValue());
      }
    }
  }
}
