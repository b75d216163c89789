package io.asupersync.protocols.http;

import io.asupersync.Runtime;

/** {@link OutcomeMappingTests} with request tasks carried by their connection's event loop. */
class LoopCarriedOutcomeMappingTests extends OutcomeMappingTests {

  @Override
  Runtime.Builder runtimeBuilder() {
    return loopCarriedRuntime();
  }
}
