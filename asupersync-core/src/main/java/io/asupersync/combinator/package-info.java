/** Combinators over task bodies (join, race, timeout, quorum, hedge, retry) that drain what they cancel. */
@NullMarked
package io.asupersync.combinator;

import org.jspecify.annotations.NullMarked;
