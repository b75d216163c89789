package io.asupersync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class OutcomeTests {

  private final Outcome<String> ok = Outcome.ok("v");
  private final Outcome<String> err = Outcome.err(new IOException("io"));
  private final Outcome<String> userCancel = Outcome.cancelled(CancelReason.of(CancelKind.USER, "u"));
  private final Outcome<String> shutdownCancel =
      Outcome.cancelled(CancelReason.of(CancelKind.SHUTDOWN, "s"));
  private final Outcome<String> panic = Outcome.panicked(new IllegalStateException("bug"));

  @Test
  void severityOrdersOkErrCancelledPanicked() throws Exception {
    assertThat(ok.severity()).isLessThan(err.severity());
    assertThat(err.severity()).isLessThan(userCancel.severity());
    assertThat(userCancel.severity()).isLessThan(panic.severity());
  }

  @Test
  void combineKeepsTheMoreSevere() throws Exception {
    assertThat(ok.combine(err)).isSameAs(err);
    assertThat(err.combine(ok)).isSameAs(err);
    assertThat(err.combine(panic)).isSameAs(panic);
    assertThat(panic.combine(userCancel)).isSameAs(panic);
  }

  @Test
  void combineKeepsLeftOnTies() throws Exception {
    Outcome<String> otherErr = Outcome.err(new IOException("other"));
    assertThat(err.combine(otherErr)).isSameAs(err);
    assertThat(otherErr.combine(err)).isSameAs(otherErr);
  }

  @Test
  void twoCancellationsKeepTheStrongerReason() throws Exception {
    assertThat(userCancel.combine(shutdownCancel)).isSameAs(shutdownCancel);
    assertThat(shutdownCancel.combine(userCancel)).isSameAs(shutdownCancel);
  }

  @Test
  void orThrowKeepsTheKindOfFailure() throws Exception {
    assertThat(ok.orThrow()).isEqualTo("v");
    assertThatThrownBy(err::orThrow).isInstanceOf(IOException.class).hasMessage("io");
    assertThatThrownBy(shutdownCancel::orThrow)
        .isInstanceOfSatisfying(
            CancelledException.class, e -> assertThat(e.reason().kind()).isEqualTo(CancelKind.SHUTDOWN));
    assertThatThrownBy(panic::orThrow).isInstanceOf(IllegalStateException.class).hasMessage("bug");
  }

  @Test
  void propagatedCancellationStaysCancelledInTheEnclosingTask() throws Exception {
    try (Runtime runtime = Runtime.builder().build()) {
      Outcome<Object> outer = runtime.run(cx -> shutdownCancel.orThrow());
      assertThat(outer).isInstanceOf(Outcome.Cancelled.class);
      Outcome<Object> failed = runtime.run(cx -> err.orThrow());
      assertThat(failed).isInstanceOf(Outcome.Err.class);
    }
  }
}
