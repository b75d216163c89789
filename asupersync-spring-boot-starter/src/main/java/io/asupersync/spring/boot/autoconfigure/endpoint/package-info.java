/** Auto-configuration of the Asupersync actuator endpoints. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
