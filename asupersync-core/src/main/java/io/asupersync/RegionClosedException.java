package io.asupersync;

/** Thrown when spawning into a region that is closing or closed, or into a runtime shutting down. */
public final class RegionClosedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  RegionClosedException(String message) {
    super(message);
  }
}
