package io.asupersync.protocols.http;

import io.asupersync.Runtime;

/** {@link StreamingTests} with request tasks carried by their connection's event loop. */
class LoopCarriedStreamingTests extends StreamingTests {

  @Override
  Runtime.Builder runtimeBuilder() {
    return loopCarriedRuntime();
  }
}
