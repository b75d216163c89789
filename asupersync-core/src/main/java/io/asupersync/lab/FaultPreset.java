package io.asupersync.lab;

/**
 * Faults injected at yield points, chosen from the seed: a cancel request, a delay in virtual time,
 * or an exhausted budget.
 */
public enum FaultPreset {
  NONE(0.0),
  /** About one fault per 500 yield points. */
  LIGHT(0.002),
  /** About one fault per 50 yield points. */
  HEAVY(0.02);

  private final double probability;

  FaultPreset(double probability) {
    this.probability = probability;
  }

  /** Probability of a fault at each yield point. */
  public double probability() {
    return probability;
  }
}
