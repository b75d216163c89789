/** Asupersync protocol clients as the application context hands them out. */
@NullMarked
package io.asupersync.spring.boot.client;

import org.jspecify.annotations.NullMarked;
