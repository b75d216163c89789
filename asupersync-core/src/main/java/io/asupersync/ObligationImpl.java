package io.asupersync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

final class ObligationImpl implements Obligation {
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(ObligationImpl.class, "state", ObligationState.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long id;
  final ObligationKind kind;
  final String description;
  final TaskImpl<?> holder;
  final RegionImpl region;
  private final @Nullable Runnable onAbort;
  @SuppressWarnings("unused") // accessed through STATE
  private volatile ObligationState state = ObligationState.RESERVED;
  /** Index in the holder's bag; touched only by the holder's thread. */
  int slot = -1;

  ObligationImpl(
      long id,
      ObligationKind kind,
      String description,
      TaskImpl<?> holder,
      RegionImpl region,
      @Nullable Runnable onAbort) {
    this.id = id;
    this.kind = kind;
    this.description = description;
    this.holder = holder;
    this.region = region;
    this.onAbort = onAbort;
  }

  @Override
  public long id() {
    return id;
  }

  @Override
  public ObligationKind kind() {
    return kind;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public ObligationState state() {
    return state;
  }

  @Override
  public void commit() {
    settle(ObligationState.COMMITTED);
  }

  @Override
  public void abort() {
    settle(ObligationState.ABORTED);
  }

  private void settle(ObligationState terminal) {
    if (!STATE.compareAndSet(this, ObligationState.RESERVED, terminal)) {
      throw new IllegalStateException(
          "obligation " + id + " (" + description + ") is already " + state);
    }
    holder.forget(this);
    if (terminal == ObligationState.ABORTED) {
      runAbortAction();
    }
    holder.runtime.obligationSettled(this, terminal);
  }

  /** Moves a still-reserved obligation to {@code terminal} on behalf of the runtime. */
  boolean resolveByRuntime(ObligationState terminal) {
    if (!STATE.compareAndSet(this, ObligationState.RESERVED, terminal)) {
      return false;
    }
    runAbortAction();
    return true;
  }

  private void runAbortAction() {
    if (onAbort != null) {
      onAbort.run();
    }
  }

  RuntimeSnapshot.ObligationInfo info() {
    return new RuntimeSnapshot.ObligationInfo(id, kind, description, state, holder.id, region.id);
  }

  @Override
  public String toString() {
    return "Obligation[" + id + " " + kind + " '" + description + "' " + state + "]";
  }
}
