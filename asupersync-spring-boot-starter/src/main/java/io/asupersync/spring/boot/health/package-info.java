/** Health indicator of the Asupersync runtime. */
@NullMarked
package io.asupersync.spring.boot.health;

import org.jspecify.annotations.NullMarked;
