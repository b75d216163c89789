/** JMH benchmarks: the runtime's costs and the protocol stack, each beside the baseline it must beat. */
@NullMarked
package io.asupersync.benchmarks;

import org.jspecify.annotations.NullMarked;
