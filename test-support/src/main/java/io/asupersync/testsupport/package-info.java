/** Real redis-server and nats-server processes and test certificates for tests on 127.0.0.1. */
@NullMarked
package io.asupersync.testsupport;

import org.jspecify.annotations.NullMarked;
