/** Conformance suites run under the lab runtime, named after the security test matrix. */
@NullMarked
package io.asupersync.lab.conformance;

import org.jspecify.annotations.NullMarked;
