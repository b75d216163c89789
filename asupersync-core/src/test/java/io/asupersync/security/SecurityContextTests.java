package io.asupersync.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceEvent;
import io.asupersync.trace.TraceKind;
import io.asupersync.trace.TraceSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class SecurityContextTests {

  private static final AuthDomain DOMAIN = AuthDomain.TRACE_EXPORT;
  private static final byte[] PAYLOAD = "payload".getBytes(StandardCharsets.UTF_8);

  private final AuthKey key = AuthKey.fromBytes(AuthKeyTests.goodMaterial());
  private final CapturingLogger log = new CapturingLogger();
  private final TraceBuffer trace = new TraceBuffer(64, () -> Instant.EPOCH, TraceSink.discard());

  private SecurityContext context(AuthMode mode) {
    return SecurityContext.builder().key(key).mode(mode).trace(trace).logger(log).build();
  }

  private String validTag() {
    return AuthTag.compute(key, DOMAIN, PAYLOAD).encode();
  }

  /** A tag over PAYLOAD, keyed with another key. */
  private static String foreignTag() {
    return AuthTag.compute(AuthKey.forTestsOnly(99), DOMAIN, PAYLOAD).encode();
  }

  private List<TraceEvent> authEvents() {
    return trace.events(e -> e.kind() == TraceKind.AUTH_FAILED, 100);
  }

  @Test
  void theDefaultModeIsStrict() {
    assertThat(SecurityContext.builder().key(key).build().mode()).isEqualTo(AuthMode.STRICT);
    assertThat(SecurityContext.strict(key).mode()).isEqualTo(AuthMode.STRICT);
    assertThat(SecurityContext.disabled().mode()).isEqualTo(AuthMode.DISABLED);
  }

  @Test
  void theModeOnlyBecomesStricter() {
    SecurityContext ctx = context(AuthMode.DISABLED);
    ctx.tighten(AuthMode.DISABLED);
    ctx.tighten(AuthMode.PERMISSIVE);
    assertThat(ctx.mode()).isEqualTo(AuthMode.PERMISSIVE);
    assertThatThrownBy(() -> ctx.tighten(AuthMode.DISABLED))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot relax the authentication mode from PERMISSIVE to DISABLED");
    ctx.tighten(AuthMode.STRICT);
    for (AuthMode weaker : List.of(AuthMode.PERMISSIVE, AuthMode.DISABLED)) {
      assertThatThrownBy(() -> ctx.tighten(weaker)).isInstanceOf(IllegalStateException.class).hasMessageContaining("only become stricter");
    }
    ctx.tighten(AuthMode.STRICT);
    assertThat(ctx.mode()).isEqualTo(AuthMode.STRICT);
    assertThat(trace.events(e -> e.kind() == TraceKind.AUTH_MODE_TIGHTENED, 10))
        .extracting(e -> e.attribute("from") + "->" + e.attribute("to"))
        .containsExactly("DISABLED->PERMISSIVE", "PERMISSIVE->STRICT");
  }

  @Test
  void concurrentTighteningEndsStrictAndNeverRelaxes() throws Exception {
    SecurityContext ctx = context(AuthMode.DISABLED);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      AuthMode target = i % 2 == 0 ? AuthMode.STRICT : AuthMode.PERMISSIVE;
      threads.add(Thread.ofVirtual().start(() -> {
        try {
          ctx.tighten(target);
        } catch (IllegalStateException relaxing) {
          // PERMISSIVE after STRICT: refused, as it should be
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ctx.mode()).isEqualTo(AuthMode.STRICT);
  }

  @Test
  void aValidTagIsAuthentic() {
    assertThat(context(AuthMode.STRICT).verify(DOMAIN, validTag(), PAYLOAD)).isEqualTo(SecurityContext.Verdict.AUTHENTIC);
    assertThat(context(AuthMode.STRICT).verify(DOMAIN, AuthTag.parse(validTag()), List.of(java.nio.ByteBuffer.wrap(PAYLOAD))))
        .isEqualTo(SecurityContext.Verdict.AUTHENTIC);
    assertThat(SecurityContext.strict(key).tag(DOMAIN, PAYLOAD).encode()).isEqualTo(validTag());
    assertThat(log.messages).isEmpty();
    assertThat(authEvents()).isEmpty();
  }

  private void assertStrictFailure(SecurityContext ctx, @Nullable String tag, byte[] payload, AuthFailure failure) {
    assertThatThrownBy(() -> ctx.verify(DOMAIN, tag, payload))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.failure()).isEqualTo(failure);
          assertThat(e.domain()).isEqualTo(DOMAIN.name());
          assertThat(e).hasMessageContaining(failure.description());
        });
  }

  @Test
  void strictModeRejectsEachFailureWithItsOwnType() {
    SecurityContext ctx = context(AuthMode.STRICT);
    assertStrictFailure(ctx, null, PAYLOAD, AuthFailure.TAG_MISSING);
    assertStrictFailure(ctx, "hmac-sha256:nonsense", PAYLOAD, AuthFailure.TAG_MALFORMED);
    assertStrictFailure(ctx, "hmac-sha256:" + key.keyId() + ":" + "0".repeat(64), PAYLOAD, AuthFailure.TAG_MALFORMED);
    assertStrictFailure(ctx, foreignTag(), PAYLOAD, AuthFailure.WRONG_KEY);
    assertStrictFailure(ctx, validTag(), "payloaD".getBytes(StandardCharsets.UTF_8), AuthFailure.TAG_MISMATCH);
    SecurityContext keyless = SecurityContext.builder().logger(log).build();
    assertStrictFailure(keyless, validTag(), PAYLOAD, AuthFailure.NO_KEY);
    assertThat(authEvents()).extracting(e -> e.attribute("failure"))
        .containsExactly("TAG_MISSING", "TAG_MALFORMED", "TAG_MALFORMED", "WRONG_KEY", "TAG_MISMATCH");
    assertThat(authEvents()).allSatisfy(e -> assertThat(e.attribute("action")).isEqualTo("rejected"));
  }

  @Test
  void permissiveModeLogsAndAccepts() {
    SecurityContext ctx = context(AuthMode.PERMISSIVE);
    assertThat(ctx.verify(DOMAIN, foreignTag(), PAYLOAD)).isEqualTo(SecurityContext.Verdict.ACCEPTED_UNAUTHENTICATED);
    assertThat(ctx.verify(DOMAIN, (String) null, PAYLOAD)).isEqualTo(SecurityContext.Verdict.ACCEPTED_UNAUTHENTICATED);
    assertThat(ctx.verify(DOMAIN, validTag(), PAYLOAD)).isEqualTo(SecurityContext.Verdict.AUTHENTIC);
    assertThat(log.messages).hasSize(2);
    assertThat(log.levels).containsOnly(System.Logger.Level.WARNING);
    assertThat(log.messages.get(0)).contains("WRONG_KEY").contains("PERMISSIVE mode accepted").contains(key.keyId());
    assertThat(log.messages.get(1)).contains("TAG_MISSING");
    assertThat(authEvents()).extracting(e -> e.attribute("action")).containsExactly("accepted", "accepted");
  }

  @Test
  void disabledModeChecksNothing() {
    SecurityContext ctx = context(AuthMode.DISABLED);
    assertThat(ctx.verify(DOMAIN, (String) null, PAYLOAD)).isEqualTo(SecurityContext.Verdict.NOT_CHECKED);
    assertThat(ctx.verify(DOMAIN, "garbage", PAYLOAD)).isEqualTo(SecurityContext.Verdict.NOT_CHECKED);
    assertThat(log.messages).isEmpty();
    assertThat(authEvents()).isEmpty();
    ctx.tighten(AuthMode.STRICT);
    assertStrictFailure(ctx, null, PAYLOAD, AuthFailure.TAG_MISSING);
  }

  @Test
  void failureEventsAndLogsNameKeysByIdButCarryNoKeyMaterial() {
    SecurityContext ctx = context(AuthMode.PERMISSIVE);
    ctx.verify(DOMAIN, foreignTag(), PAYLOAD);
    ctx.verify(DOMAIN, validTag(), "other".getBytes(StandardCharsets.UTF_8));
    TraceEvent e = authEvents().get(0);
    assertThat(e.attribute("domain")).isEqualTo(DOMAIN.name());
    assertThat(e.attribute("failure")).isEqualTo("WRONG_KEY");
    assertThat(e.attribute("mode")).isEqualTo("PERMISSIVE");
    assertThat(e.attribute("key-id")).isEqualTo(key.keyId());
    assertThat(e.attribute("presented-key-id")).isEqualTo(AuthKey.forTestsOnly(99).keyId());
    byte[] raw = AuthKeyTests.goodMaterial();
    String hex = HexFormat.of().formatHex(raw);
    String b64 = Base64.getEncoder().encodeToString(raw);
    List<String> everything = new ArrayList<>(log.messages);
    for (TraceEvent event : authEvents()) {
      everything.add(event.attributes().toString());
    }
    for (String s : everything) {
      for (int i = 0; i + 8 <= hex.length(); i++) {
        assertThat(s).doesNotContain(hex.substring(i, i + 8));
      }
      for (int i = 0; i + 6 <= b64.length(); i++) {
        assertThat(s).doesNotContain(b64.substring(i, i + 6));
      }
    }
  }

  @Test
  void aTestOnlyKeyIsWarnedAbout() {
    SecurityContext.builder().key(AuthKey.forTestsOnly(5)).logger(log).build();
    assertThat(log.messages).singleElement().asString().contains("test-only");
  }

  @Test
  void tagWithoutAKeyThrowsAndToStringShowsNoKey() {
    SecurityContext keyless = SecurityContext.disabled();
    assertThatThrownBy(() -> keyless.tag(DOMAIN, PAYLOAD)).isInstanceOf(IllegalStateException.class);
    assertThat(keyless.key()).isEmpty();
    assertThat(context(AuthMode.STRICT).toString()).contains("STRICT").contains(key.keyId());
  }

  /** Collects what is logged. */
  static final class CapturingLogger implements System.Logger {
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<Level> levels = new CopyOnWriteArrayList<>();

    @Override
    public String getName() {
      return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String msg, @Nullable Throwable thrown) {
      levels.add(level);
      messages.add(String.valueOf(msg));
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format, @Nullable Object... params) {
      levels.add(level);
      messages.add(String.valueOf(format));
    }

    @Override
    public void log(Level level, Supplier<String> msgSupplier) {
      levels.add(level);
      messages.add(msgSupplier.get());
    }
  }
}
