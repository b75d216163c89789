/** P7/P8 HTTP load servers: ours, plain Netty and Reactor Netty serving the same fixed answer. */
@NullMarked
package io.asupersync.benchmarks.http;

import org.jspecify.annotations.NullMarked;
