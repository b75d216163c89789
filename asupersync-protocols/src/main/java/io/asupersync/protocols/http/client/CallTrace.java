package io.asupersync.protocols.http.client;

import io.asupersync.protocols.client.ClientCallObserver;

/** What a {@code CLIENT_CALL} trace event says about a call: never a header value, path or body. */
record CallTrace(String method, String scheme, String host, long startNanos, ClientCallObserver.Call observed) {}
