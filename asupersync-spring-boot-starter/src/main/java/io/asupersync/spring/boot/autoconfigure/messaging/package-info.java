/** Auto-configuration of the Asupersync Redis, NATS and Kafka clients from {@code asupersync.redis|nats|kafka.*}. */
@NullMarked
package io.asupersync.spring.boot.autoconfigure.messaging;

import org.jspecify.annotations.NullMarked;
