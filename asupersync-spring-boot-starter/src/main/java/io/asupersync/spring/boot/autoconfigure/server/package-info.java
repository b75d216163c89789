/** Auto-configuration of the Asupersync server. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.server;

import org.jspecify.annotations.NullMarked;
