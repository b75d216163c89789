/** Actuator endpoints that show the Asupersync runtime: regions, tasks, obligations, leaks and trace events. */
@NullMarked
package io.asupersync.spring.boot.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
