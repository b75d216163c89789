/** Auto-configuration of the Asupersync Spring MVC integration. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
