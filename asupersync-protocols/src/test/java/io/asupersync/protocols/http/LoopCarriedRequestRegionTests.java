package io.asupersync.protocols.http;

import io.asupersync.Runtime;

/** {@link RequestRegionTests} with request tasks carried by their connection's event loop. */
class LoopCarriedRequestRegionTests extends RequestRegionTests {

  @Override
  Runtime.Builder runtimeBuilder() {
    return loopCarriedRuntime();
  }
}
