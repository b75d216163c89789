/** Structured trace events, the bounded ring buffer that keeps them, their hash chain and sinks. */
@NullMarked
package io.asupersync.trace;

import org.jspecify.annotations.NullMarked;
