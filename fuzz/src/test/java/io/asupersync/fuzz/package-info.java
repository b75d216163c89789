/** Jazzer fuzz targets for the protocol decoders, one class per decoder, each with a seed corpus. */
@NullMarked
package io.asupersync.fuzz;

import org.jspecify.annotations.NullMarked;
