package io.asupersync.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.testing.integration.Messages.SimpleRequest;
import io.grpc.testing.integration.TestServiceGrpc;
import org.junit.jupiter.api.Test;

class GeneratedStubsTests {

  @Test
  void grpcJavaStubsAndMessagesShareOneServiceDescriptor() {
    assertThat(TestServiceGrpc.getUnaryCallMethod().getFullMethodName())
        .isEqualTo("grpc.testing.TestService/UnaryCall");
    assertThat(SimpleRequest.newBuilder().setResponseSize(7).build().getResponseSize()).isEqualTo(7);
  }
}
