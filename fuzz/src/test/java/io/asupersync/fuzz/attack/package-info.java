/** Live attacks against a running {@code AsupersyncServer} over real sockets, one test per threat. */
@NullMarked
package io.asupersync.fuzz.attack;

import org.jspecify.annotations.NullMarked;
