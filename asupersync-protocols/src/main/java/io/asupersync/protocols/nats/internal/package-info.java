/** The NATS client's wire engine (decoder, server operations, JSON): not API, may change without notice. */
@NullMarked
package io.asupersync.protocols.nats.internal;

import org.jspecify.annotations.NullMarked;
