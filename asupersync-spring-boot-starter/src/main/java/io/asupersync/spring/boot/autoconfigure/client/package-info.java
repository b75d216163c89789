/** Auto-configuration of the Asupersync protocol clients and of their observation. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
