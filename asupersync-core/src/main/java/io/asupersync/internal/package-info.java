/**
 * Engine seams shared between core packages (the lab runtime's scheduler hook). Not API: anything
 * here may change in any release.
 */
@NullMarked
package io.asupersync.internal;

import org.jspecify.annotations.NullMarked;
