/** Jazzer fuzz targets for the decoders (protocols, the tagged trace-file reader), one class per decoder, each with a seed corpus. */
@NullMarked
package io.asupersync.fuzz;

import org.jspecify.annotations.NullMarked;
