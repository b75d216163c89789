/** Cancel-correct channels: two-phase bounded MPSC, oneshot, broadcast with lag counts, and watch. */
@NullMarked
package io.asupersync.channel;

import org.jspecify.annotations.NullMarked;
