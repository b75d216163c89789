/** Structured concurrency: runtime, regions, tasks, the capability context {@link io.asupersync.Cx}. */
@NullMarked
package io.asupersync;

import org.jspecify.annotations.NullMarked;
