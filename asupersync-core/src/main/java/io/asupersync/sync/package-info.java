/** Cancel-aware synchronization: a FIFO mutex and a semaphore whose permits are obligations. */
@NullMarked
package io.asupersync.sync;

import org.jspecify.annotations.NullMarked;
