package io.asupersync.security;

/**
 * How a {@link SecurityContext} treats content that fails authentication. Declared from least to most
 * strict; a context's mode can only move towards {@link #STRICT} at run time.
 */
public enum AuthMode {
  /** Tags are not checked at all (tags are still written when a key is configured). */
  DISABLED,
  /** A failure is logged and recorded as a trace event, and the content is accepted. */
  PERMISSIVE,
  /** A failure is an {@link AuthenticationException} (also logged and recorded). The default. */
  STRICT;

  /** Whether this mode is stricter than {@code other}. */
  public boolean isStricterThan(AuthMode other) {
    return compareTo(other) > 0;
  }
}
