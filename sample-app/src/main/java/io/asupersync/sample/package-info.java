/** Sample application showing the Asupersync starter in a Spring Boot service. */
@NullMarked
package io.asupersync.sample;

import org.jspecify.annotations.NullMarked;
