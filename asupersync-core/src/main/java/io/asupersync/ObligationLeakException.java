package io.asupersync;

import java.util.List;

/** The panic cause of a task that ended holding reserved obligations under {@link LeakResponse#PANIC}. */
public final class ObligationLeakException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial")
  private final List<RuntimeSnapshot.ObligationInfo> leaked;

  ObligationLeakException(String message, List<RuntimeSnapshot.ObligationInfo> leaked) {
    super(message);
    this.leaked = List.copyOf(leaked);
  }

  public List<RuntimeSnapshot.ObligationInfo> leaked() {
    return leaked;
  }
}
