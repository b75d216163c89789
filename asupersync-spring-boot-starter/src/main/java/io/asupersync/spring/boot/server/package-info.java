/** The Asupersync server in a Spring application: its lifecycle, the customizer SPI and its filters. */
@NullMarked
package io.asupersync.spring.boot.server;

import org.jspecify.annotations.NullMarked;
