package io.asupersync;

/**
 * Cleanup registered on a region with {@link Cx#defer(Finalizer)}. Finalizers run when the region
 * closes, last registered first, masked against cancellation, each within the runtime's finalizer
 * budget; one that overruns is reported and left behind as a straggler.
 */
@FunctionalInterface
public interface Finalizer {
  void run(Cx cx) throws Exception;
}
