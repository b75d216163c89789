/**
 * Cancel-aware file operations: reads and writes that take a {@link io.asupersync.Cx}, atomic
 * replacement as an obligation ({@link io.asupersync.fs.AtomicWrite}), owner-only creation by default
 * and a root-confined resolver for paths from configuration or input; under the lab scheduler they run
 * on a deterministic in-memory file system.
 */
@NullMarked
package io.asupersync.fs;

import org.jspecify.annotations.NullMarked;
