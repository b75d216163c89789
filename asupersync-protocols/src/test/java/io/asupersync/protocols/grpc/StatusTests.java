package io.asupersync.protocols.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.CancelKind;
import io.asupersync.CancelReason;
import io.asupersync.Outcome;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusTests {

  @Test
  void okOutcomeIsOk() {
    assertThat(Status.fromOutcome(Outcome.ok("x"))).isEqualTo(Status.OK);
  }

  @Test
  void statusExceptionCarriedByErrIsItsStatus() {
    Status status = Status.of(StatusCode.NOT_FOUND, "no such user");
    assertThat(Status.fromOutcome(Outcome.err(status.asException()))).isEqualTo(status);
  }

  @Test
  void otherErrIsUnknownWithoutLeakingTheMessage() {
    Status status = Status.fromOutcome(Outcome.err(new IOException("db password=hunter2")));
    assertThat(status.code()).isEqualTo(StatusCode.UNKNOWN);
    assertThat(status.message()).isNull();
  }

  @Test
  void panicIsInternal() {
    Status status = Status.fromOutcome(Outcome.panicked(new IllegalStateException("bug at line 3")));
    assertThat(status.code()).isEqualTo(StatusCode.INTERNAL);
    assertThat(status.message()).doesNotContain("line 3");
  }

  @ParameterizedTest
  @EnumSource(CancelKind.class)
  void cancellationMapsByKind(CancelKind kind) {
    StatusCode expected =
        switch (kind) {
          case TIMEOUT, DEADLINE -> StatusCode.DEADLINE_EXCEEDED;
          case POLL_QUOTA, COST_BUDGET -> StatusCode.RESOURCE_EXHAUSTED;
          default -> StatusCode.CANCELLED;
        };
    assertThat(Status.fromOutcome(Outcome.cancelled(CancelReason.of(kind, "test"))).code()).isEqualTo(expected);
  }

  @Test
  void parentCancelledIsJudgedByItsCause() {
    CancelReason deadline = CancelReason.of(CancelKind.DEADLINE, "call deadline");
    CancelReason parent = new CancelReason(CancelKind.PARENT_CANCELLED, 1, 0, Instant.now(), "parent", deadline);
    CancelReason grandParent = new CancelReason(CancelKind.PARENT_CANCELLED, 2, 0, Instant.now(), "parent", parent);
    assertThat(Status.fromCancel(grandParent).code()).isEqualTo(StatusCode.DEADLINE_EXCEEDED);
    CancelReason orphan = new CancelReason(CancelKind.PARENT_CANCELLED, 1, 0, Instant.now(), "parent", null);
    assertThat(Status.fromCancel(orphan).code()).isEqualTo(StatusCode.CANCELLED);
  }

  @Test
  void statusTextIsStrictDecimal() {
    assertThat(StatusCode.fromText("0")).isEqualTo(StatusCode.OK);
    assertThat(StatusCode.fromText("16")).isEqualTo(StatusCode.UNAUTHENTICATED);
    assertThat(StatusCode.fromText("17")).isEqualTo(StatusCode.UNKNOWN);
    assertThat(StatusCode.fromText("01")).isNull();
    assertThat(StatusCode.fromText("-1")).isNull();
    assertThat(StatusCode.fromText("")).isNull();
    assertThat(StatusCode.fromText(null)).isNull();
    assertThat(StatusCode.fromText(" 1")).isNull();
  }

  @Test
  void okCannotBeThrown() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new GrpcStatusException(Status.OK))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
