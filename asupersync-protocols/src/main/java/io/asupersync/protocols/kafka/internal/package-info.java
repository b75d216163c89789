/** Plug-ins that kafka-clients instantiates by class name; not API. */
@NullMarked
package io.asupersync.protocols.kafka.internal;

import org.jspecify.annotations.NullMarked;
