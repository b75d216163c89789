/**
 * Cancel-aware sockets: TCP, UDP and Unix-domain streams whose blocking operations take a {@link
 * io.asupersync.Cx}, wake promptly on cancellation, honour the budget deadline and report partial
 * progress exactly; under the lab scheduler they run on a deterministic in-memory network.
 */
@NullMarked
package io.asupersync.net;

import org.jspecify.annotations.NullMarked;
