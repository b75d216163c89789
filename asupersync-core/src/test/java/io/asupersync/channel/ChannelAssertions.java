package io.asupersync.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Outcome;

/** Assertions shared by the channel tests. */
final class ChannelAssertions {
  private ChannelAssertions() {}

  /** Asserts that {@code outcome} is {@code Err} carrying a {@link ChannelClosedException}. */
  static void assertChannelClosed(Outcome<?> outcome) {
    assertThat(outcome).isInstanceOfSatisfying(
        Outcome.Err.class, e -> assertThat(e.error()).isInstanceOf(ChannelClosedException.class));
  }
}
