package io.asupersync.protocols.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.Runtime;
import io.asupersync.protocols.EventLoopCarrier;
import org.junit.jupiter.api.BeforeAll;

/** {@link RequestRegionTests} with request tasks carried by their connection's event loop. */
class LoopCarriedRequestRegionTests extends RequestRegionTests {

  @BeforeAll
  static void carriersAvailable() {
    // the build opens java.lang to the tests: without it these would silently rerun the default case
    assertThat(EventLoopCarrier.isAvailable()).isTrue();
  }

  @Override
  Runtime.Builder runtimeBuilder() {
    return Runtime.builder().threadFactory(EventLoopCarrier.threadFactory());
  }
}
