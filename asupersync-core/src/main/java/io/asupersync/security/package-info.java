/**
 * Keyed authentication of trace files and diagnostic exports: 256-bit keys, HMAC-SHA256 tags over a
 * domain-separated framing, and a security context whose mode can only become stricter.
 */
@NullMarked
package io.asupersync.security;

import org.jspecify.annotations.NullMarked;
