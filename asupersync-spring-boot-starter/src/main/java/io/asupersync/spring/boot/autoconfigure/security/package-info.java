/** Security defaults of the Asupersync starter: no filter chain of its own, a warning when the endpoints are unguarded. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
