/** Helpers shared by the protocol packages. Not API. */
@NullMarked
package io.asupersync.protocols.internal;

import org.jspecify.annotations.NullMarked;
