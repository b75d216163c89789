/** JUnit Jupiter integration that runs tests under the deterministic lab runtime. */
@NullMarked
package io.asupersync.lab.junit;

import org.jspecify.annotations.NullMarked;
