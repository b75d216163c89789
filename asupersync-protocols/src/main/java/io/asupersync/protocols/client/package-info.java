/** What the protocol clients share: the hook that observes each call and may add headers to it. */
@NullMarked
package io.asupersync.protocols.client;

import org.jspecify.annotations.NullMarked;
