/** Auto-configuration of the Asupersync health indicator. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
