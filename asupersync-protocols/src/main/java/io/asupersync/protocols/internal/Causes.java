package io.asupersync.protocols.internal;

/** Cause chains of failures. Not API. */
public final class Causes {

  /** How far {@link #root} follows a chain: far enough for any real one, finite for a chain that loops. */
  private static final int MAX_DEPTH = 16;

  private Causes() {}

  /**
   * The innermost cause of {@code failure} (itself when it has none): what a wrapper's "connection
   * failed" does not say, for instance the TLS alert of a refused handshake.
   */
  public static Throwable root(Throwable failure) {
    Throwable root = failure;
    Throwable c = failure.getCause();
    for (int depth = 0; c != null && c != root && depth < MAX_DEPTH; c = c.getCause(), depth++) {
      root = c;
    }
    return root;
  }
}
