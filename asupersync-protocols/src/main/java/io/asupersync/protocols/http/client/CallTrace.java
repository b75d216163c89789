package io.asupersync.protocols.http.client;

/** What a {@code CLIENT_CALL} trace event says about a call: never a header value, path or body. */
record CallTrace(String method, String scheme, String host, long startNanos) {}
