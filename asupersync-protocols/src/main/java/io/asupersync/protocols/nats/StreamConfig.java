package io.asupersync.protocols.nats;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link JetStream#createStream} creates: a stream with limits retention, one replica, and
 * the server's defaults for everything not named here.
 *
 * @param name stream name (no {@code .}, {@code *}, {@code >} or whitespace)
 * @param subjects subjects it captures
 * @param memory whether it is kept in memory (else in files)
 * @param duplicateWindow how long {@code Nats-Msg-Id} values are remembered for deduplication
 */
public record StreamConfig(String name, List<String> subjects, boolean memory, Duration duplicateWindow) {

  public StreamConfig {
    JetStream.checkName(name, "stream name");
    subjects = List.copyOf(subjects);
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("a stream needs at least one subject");
    }
    Objects.requireNonNull(duplicateWindow, "duplicateWindow");
  }

  /** A file-backed stream with the server's default duplicate window (2 min). */
  public static StreamConfig of(String name, String... subjects) {
    return new StreamConfig(name, List.of(subjects), false, Duration.ofMinutes(2));
  }

  public StreamConfig inMemory() {
    return new StreamConfig(name, subjects, true, duplicateWindow);
  }

  public StreamConfig withDuplicateWindow(Duration window) {
    return new StreamConfig(name, subjects, memory, window);
  }
}
