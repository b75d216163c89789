/** Helpers for guarding the Asupersync actuator endpoints with Spring Security. */
@NullMarked
package io.asupersync.spring.boot.security;

import org.jspecify.annotations.NullMarked;
