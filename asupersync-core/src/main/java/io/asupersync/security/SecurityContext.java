package io.asupersync.security;

import io.asupersync.trace.TraceBuffer;
import io.asupersync.trace.TraceKind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The authentication policy for trace files and diagnostic exports: an optional {@link AuthKey} and an
 * {@link AuthMode} that can only become stricter at run time ({@code DISABLED → PERMISSIVE → STRICT});
 * an attempt to relax it throws.
 *
 * <p>Every authentication failure (in {@code STRICT} and {@code PERMISSIVE} mode) is logged at
 * WARNING through the {@link System.Logger} named {@code io.asupersync.security} and, when a {@link
 * TraceBuffer} is configured (typically {@code runtime.trace()}), recorded as a {@link
 * TraceKind#AUTH_FAILED} event with attributes {@code domain}, {@code failure}, {@code mode}, {@code
 * action} ({@code rejected} or {@code accepted}), {@code key-id} and {@code presented-key-id}. A mode
 * change is recorded as {@link TraceKind#AUTH_MODE_TIGHTENED} with {@code from} and {@code to}. Neither
 * logs nor events ever contain key material: a key id is a one-way function of the key. Listeners
 * subscribe through the buffer's {@code TraceSink}.
 *
 * <p>Thread-safe.
 */
public final class SecurityContext {

  /** What {@link #verify} concluded when it did not throw. */
  public enum Verdict {
    /** The tag is valid for this key, domain and content. */
    AUTHENTIC,
    /** Authentication failed, and {@link AuthMode#PERMISSIVE} let the content through (logged). */
    ACCEPTED_UNAUTHENTICATED,
    /** {@link AuthMode#DISABLED}: nothing was checked. */
    NOT_CHECKED
  }

  private static final System.Logger DEFAULT_LOG = System.getLogger("io.asupersync.security");

  private final @Nullable AuthKey key;
  private final AtomicReference<AuthMode> mode;
  private final @Nullable TraceBuffer trace;
  private final System.Logger log;

  private SecurityContext(Builder b) {
    this.key = b.key;
    this.mode = new AtomicReference<>(b.mode);
    this.trace = b.trace;
    this.log = b.log;
    if (key != null && key.isTestOnly()) {
      log.log(System.Logger.Level.WARNING, "security context uses the test-only key " + key.keyId() + ": it protects nothing");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A {@link AuthMode#STRICT} context with {@code key}. */
  public static SecurityContext strict(AuthKey key) {
    return builder().key(key).build();
  }

  /** A {@link AuthMode#DISABLED} context without a key (it can still be tightened later). */
  public static SecurityContext disabled() {
    return builder().mode(AuthMode.DISABLED).build();
  }

  public AuthMode mode() {
    return mode.get();
  }

  public Optional<AuthKey> key() {
    return Optional.ofNullable(key);
  }

  /**
   * Moves the mode to {@code stricter}; the same mode is a no-op.
   *
   * @throws IllegalStateException if {@code stricter} is less strict than the current mode
   */
  public void tighten(AuthMode stricter) {
    Objects.requireNonNull(stricter, "stricter");
    AuthMode previous;
    do {
      previous = mode.get();
      if (previous.isStricterThan(stricter)) {
        throw new IllegalStateException(
            "cannot relax the authentication mode from " + previous + " to " + stricter
                + ": it can only become stricter at run time (DISABLED -> PERMISSIVE -> STRICT)");
      }
      if (previous == stricter) {
        return;
      }
    } while (!mode.compareAndSet(previous, stricter));
    log.log(System.Logger.Level.INFO, "authentication mode tightened from " + previous + " to " + stricter);
    if (trace != null) {
      trace.record(TraceKind.AUTH_MODE_TIGHTENED, 0, 0, 0, Map.of("from", previous.name(), "to", stricter.name()));
    }
  }

  /**
   * Tags {@code fields} in {@code domain}.
   *
   * @throws IllegalStateException if no key is configured or the key is closed
   */
  public AuthTag tag(AuthDomain domain, byte[]... fields) {
    return AuthTag.compute(requireKey(), domain, fields);
  }

  /** Like {@link #tag(AuthDomain, byte[]...)} over the remaining bytes of each buffer. */
  public AuthTag tag(AuthDomain domain, List<ByteBuffer> fields) {
    return AuthTag.compute(requireKey(), domain, fields);
  }

  /**
   * Checks a tag in its text form ({@code null} when the content carried none) against {@code fields}
   * in {@code domain}, under the current mode.
   *
   * @throws AuthenticationException in {@link AuthMode#STRICT} mode when the tag is missing,
   *     malformed, made with another key, or does not match, or when no key is configured
   * @throws IllegalStateException if the key is closed
   */
  public Verdict verify(AuthDomain domain, @Nullable String encodedTag, List<ByteBuffer> fields) {
    AuthMode current = mode.get();
    if (current == AuthMode.DISABLED) {
      return Verdict.NOT_CHECKED;
    }
    AuthTag tag = null;
    AuthFailure failure;
    String detail = "";
    if (encodedTag == null) {
      failure = AuthFailure.TAG_MISSING;
    } else {
      try {
        tag = AuthTag.parse(encodedTag);
        failure = check(domain, tag, fields);
      } catch (AuthenticationException e) {
        failure = e.failure();
        detail = "not " + AuthTag.SCHEME + ":<16 hex key id>:<64 hex mac>, or all zeros";
      }
    }
    return conclude(current, domain, failure, tag, detail);
  }

  /** Like {@link #verify(AuthDomain, String, List)} with byte-array fields. */
  public Verdict verify(AuthDomain domain, @Nullable String encodedTag, byte[]... fields) {
    return verify(domain, encodedTag, wrap(fields));
  }

  /** Like {@link #verify(AuthDomain, String, List)} with a parsed tag ({@code null}: none). */
  public Verdict verify(AuthDomain domain, @Nullable AuthTag tag, List<ByteBuffer> fields) {
    AuthMode current = mode.get();
    if (current == AuthMode.DISABLED) {
      return Verdict.NOT_CHECKED;
    }
    AuthFailure failure = tag == null ? AuthFailure.TAG_MISSING : check(domain, tag, fields);
    return conclude(current, domain, failure, tag, "");
  }

  @Override
  public String toString() {
    return "SecurityContext[mode=" + mode.get() + ", key=" + (key == null ? "none" : key.toString()) + "]";
  }

  private @Nullable AuthFailure check(AuthDomain domain, AuthTag tag, List<ByteBuffer> fields) {
    return key == null ? AuthFailure.NO_KEY : tag.check(key, domain, fields);
  }

  private Verdict conclude(
      AuthMode current, AuthDomain domain, @Nullable AuthFailure failure, @Nullable AuthTag tag, String detail) {
    if (failure == null) {
      return Verdict.AUTHENTIC;
    }
    String presented = tag == null ? "" : tag.keyId();
    String expected = key == null ? "" : key.keyId();
    if (failure == AuthFailure.WRONG_KEY) {
      detail = "tag key id " + presented + ", expected " + expected;
    }
    boolean reject = current == AuthMode.STRICT;
    log.log(
        System.Logger.Level.WARNING,
        "authentication failed for " + domain.name() + ": " + failure + " (" + failure.description() + ")"
            + (detail.isEmpty() ? "" : "; " + detail) + "; " + current + " mode "
            + (reject ? "rejected" : "accepted") + " the content");
    if (trace != null) {
      Map<String, String> attributes = new LinkedHashMap<>();
      attributes.put("domain", domain.name());
      attributes.put("failure", failure.name());
      attributes.put("mode", current.name());
      attributes.put("action", reject ? "rejected" : "accepted");
      attributes.put("key-id", expected);
      attributes.put("presented-key-id", presented);
      trace.record(TraceKind.AUTH_FAILED, 0, 0, 0, attributes);
    }
    if (reject) {
      throw new AuthenticationException(domain, failure, detail);
    }
    return Verdict.ACCEPTED_UNAUTHENTICATED;
  }

  private AuthKey requireKey() {
    if (key == null) {
      throw new IllegalStateException("no authentication key is configured");
    }
    return key;
  }

  private static List<ByteBuffer> wrap(byte[]... fields) {
    List<ByteBuffer> buffers = new ArrayList<>(fields.length);
    for (byte[] field : fields) {
      buffers.add(ByteBuffer.wrap(field));
    }
    return buffers;
  }

  /** Builds a {@link SecurityContext}; the mode defaults to {@link AuthMode#STRICT}. */
  public static final class Builder {
    private @Nullable AuthKey key;
    private AuthMode mode = AuthMode.STRICT;
    private @Nullable TraceBuffer trace;
    private System.Logger log = DEFAULT_LOG;

    private Builder() {}

    /** The key that tags and verifies; without one, every verification in STRICT mode fails. */
    public Builder key(AuthKey value) {
      this.key = Objects.requireNonNull(value, "key");
      return this;
    }

    /** The initial mode (default STRICT). */
    public Builder mode(AuthMode value) {
      this.mode = Objects.requireNonNull(value, "mode");
      return this;
    }

    /** Where authentication failures and mode changes are recorded as trace events. */
    public Builder trace(TraceBuffer value) {
      this.trace = Objects.requireNonNull(value, "trace");
      return this;
    }

    /** The logger for failures (default: {@code System.getLogger("io.asupersync.security")}). */
    public Builder logger(System.Logger value) {
      this.log = Objects.requireNonNull(value, "logger");
      return this;
    }

    public SecurityContext build() {
      return new SecurityContext(this);
    }
  }
}
