package io.asupersync.protocols.nats.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTests {

  @Test
  void readsTheShapesTheServerSends() {
    Map<String, Object> doc = Json.parseObject("{\"a\":1,\"b\":\"x\\u00e9\\n\",\"c\":[true,false,null],\"d\":{\"e\":-2.5e3},\"f\":12345678901234567890}");
    assertThat(Json.number(doc, "a", 0)).isEqualTo(1);
    assertThat(Json.string(doc, "b")).isEqualTo("xé\n");
    assertThat(doc.get("c")).isEqualTo(List.of(true, false, Json.NULL));
    assertThat(Json.object(doc, "d")).containsEntry("e", -2500.0);
    assertThat(Json.number(doc, "f", -1)).as("beyond a long: not an integer field").isEqualTo(-1);
  }

  @Test
  void refusesMalformedAndTooDeepDocuments() {
    for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":}", "[1,]", "{\"a\":1}x", "\"\\q\"", "01x", "{\"a\":tru}"}) {
      assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Json.parse("[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH))).isInstanceOf(List.class);
  }

  @Test
  void writesWhatItReads() {
    String json = new Json.Writer().put("s", "q\"\\\t\u0001").put("n", 42).put("b", true).put("l", List.of("x", "y"))
        .put("o", new Json.Writer().put("k", "v")).put("skipped", (String) null).toJson();
    Map<String, Object> back = Json.parseObject(json);
    assertThat(back).containsEntry("s", "q\"\\\t\u0001").containsEntry("n", 42L).containsEntry("b", true)
        .containsEntry("l", List.of("x", "y")).doesNotContainKey("skipped");
    assertThat(Json.object(back, "o")).containsEntry("k", "v");
  }
}
