/** Planted bugs in application-style code, and the tests that show the lab finds and replays them. */
@NullMarked
package io.asupersync.lab.bugs;

import org.jspecify.annotations.NullMarked;
