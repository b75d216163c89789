/**
 * The deterministic lab runtime: the same application code under a seeded one-task-at-a-time
 * scheduler with virtual time, invariant oracles after every run, schedule exploration and replay.
 */
@NullMarked
package io.asupersync.lab;

import org.jspecify.annotations.NullMarked;
