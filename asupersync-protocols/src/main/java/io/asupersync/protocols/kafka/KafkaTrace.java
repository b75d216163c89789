package io.asupersync.protocols.kafka;

import io.asupersync.Runtime;
import io.asupersync.trace.TraceKind;
import java.util.HashMap;
import java.util.Map;

/** {@link TraceKind#CLIENT_CALL} events of the Kafka layer: names and outcomes only, never keys, values or credentials. */
final class KafkaTrace {
  private KafkaTrace() {}

  static void call(
      Runtime runtime,
      long taskId,
      long regionId,
      long obligationId,
      String operation,
      String result,
      Map<String, String> details) {
    Map<String, String> attrs = new HashMap<>(details);
    attrs.put("protocol", "kafka");
    attrs.put("operation", operation);
    attrs.put("result", result);
    runtime.trace().record(TraceKind.CLIENT_CALL, taskId, regionId, obligationId, attrs);
  }
}
