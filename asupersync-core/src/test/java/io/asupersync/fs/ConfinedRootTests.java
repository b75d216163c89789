package io.asupersync.fs;

import static io.asupersync.testutil.Tasks.call;
import static io.asupersync.testutil.Tasks.error;
import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;
import io.asupersync.Runtime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfinedRootTests {
  private final Runtime rt = Runtime.builder().build();

  @TempDir Path tmp;
  private Path rootDir;
  private Path outside;
  private ConfinedRoot root;

  @BeforeEach
  void layout() throws Exception {
    rootDir = Files.createDirectories(tmp.resolve("root"));
    outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createDirectories(rootDir.resolve("data/inner"));
    Files.writeString(rootDir.resolve("data/file.txt"), "ok");
    Files.createSymbolicLink(rootDir.resolve("out-dir"), outside);
    Files.createSymbolicLink(rootDir.resolve("out-file"), outside.resolve("secret"));
    Files.createSymbolicLink(rootDir.resolve("dangling"), outside.resolve("not-yet"));
    Files.createSymbolicLink(rootDir.resolve("in-link"), rootDir.resolve("data"));
    Files.createSymbolicLink(rootDir.resolve("data/inner/up"), Path.of("../../.."));
    root = call(rt, cx -> ConfinedRoot.open(cx, rootDir));
  }

  @AfterEach
  void close() {
    assertThat(rt.shutdown().quiescent()).isTrue();
  }

  private Outcome<Path> resolve(String path) {
    return rt.run(cx -> root.resolve(cx, path));
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "..", "../outside/secret", "data/../../outside/secret", "data/inner/../../../x",
    "out-dir", "out-dir/secret", "out-file", "dangling", "data/inner/up/outside/secret", "in-link/inner/up/outside",
    "/etc/passwd", "/"
  })
  void escapesAreRefused(String path) {
    assertThat(error(resolve(path))).isInstanceOfSatisfying(FileException.class,
        e -> assertThat(e.reason()).isEqualTo(FileException.Reason.PATH_ESCAPE));
  }

  @Test
  void absolutePathsOutsideTheRootAreRefused() {
    assertThat(error(resolve(outside.resolve("secret").toString()))).isInstanceOfSatisfying(FileException.class,
        e -> assertThat(e.reason()).isEqualTo(FileException.Reason.PATH_ESCAPE));
  }

  @Test
  void pathsThatStayInsideResolveToRealPaths() throws Exception {
    Path real = root.root();
    assertThat(resolve("data/file.txt")).isEqualTo(Outcome.ok(real.resolve("data/file.txt")));
    assertThat(resolve("data/inner/../file.txt")).isEqualTo(Outcome.ok(real.resolve("data/file.txt")));
    assertThat(resolve("in-link/file.txt")).isEqualTo(Outcome.ok(real.resolve("data/file.txt")));
    assertThat(resolve("new/deeper/file")).isEqualTo(Outcome.ok(real.resolve("new/deeper/file")));
    assertThat(resolve(real.resolve("data").toString())).isEqualTo(Outcome.ok(real.resolve("data")));
    assertThat(resolve("")).isEqualTo(Outcome.ok(real));
    // ".." is applied to the name before links are followed, exactly as the result is then used:
    assertThat(resolve("in-link/inner/up/../x")).isEqualTo(Outcome.ok(real.resolve("data/inner/x")));
  }

  @Test
  void invalidPathStringsAreRefused() {
    assertThat(error(resolve("bad\0name"))).isInstanceOfSatisfying(FileException.class,
        e -> assertThat(e.reason()).isEqualTo(FileException.Reason.INVALID_PATH));
  }

  @Test
  void createdDirectoriesAndFilesAreOwnerOnly() throws Exception {
    Path file = call(rt, cx -> {
      root.createDirectories(cx, "exports/2026");
      Path f = root.resolve(cx, "exports/2026/trace.json");
      FileIo.writeString(cx, f, "{}");
      return f;
    });
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootDir.resolve("exports")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rootDir.resolve("exports/2026")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(Files.readString(file)).isEqualTo("{}");
  }

  @Test
  void rootMustBeAnExistingDirectory() {
    assertThat(error(rt.run(cx -> ConfinedRoot.open(cx, tmp.resolve("nope"))))).isInstanceOfSatisfying(FileException.class,
        e -> assertThat(e.reason()).isEqualTo(FileException.Reason.NOT_FOUND));
    assertThat(error(rt.run(cx -> ConfinedRoot.open(cx, rootDir.resolve("data/file.txt"))))).isInstanceOfSatisfying(FileException.class,
        e -> assertThat(e.reason()).isEqualTo(FileException.Reason.NOT_A_DIRECTORY));
  }
}
