package io.asupersync.sample;

import io.asupersync.Budget;
import io.asupersync.Outcome;
import io.asupersync.RegionPolicy;
import io.asupersync.Runtime;
import io.asupersync.TaskHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /fanout?workers=N&delayMs=D&timeoutMs=T}: runs N workers in one scope under a deadline.
 * Either all finish (200 with their results) or the deadline cancels and drains every one of them
 * before the response is written (503): nothing outlives the request.
 */
@RestController
class FanOutController {

  private final Runtime runtime;

  FanOutController(Runtime runtime) {
    this.runtime = runtime;
  }

  @GetMapping("/fanout")
  ResponseEntity<FanOutResult> fanOut(
      @RequestParam(defaultValue = "4") int workers,
      @RequestParam(defaultValue = "10") long delayMs,
      @RequestParam(defaultValue = "1000") long timeoutMs) {
    if (workers < 1 || workers > 1_000 || delayMs < 0 || timeoutMs < 1) {
      return ResponseEntity.badRequest().build();
    }
    Outcome<List<Integer>> outcome =
        runtime.run(
            cx ->
                cx.<List<Integer>>scope(
                        RegionPolicy.FAIL_FAST,
                        Budget.timeout(cx.now(), Duration.ofMillis(timeoutMs)),
                        scope -> {
                          List<TaskHandle<Integer>> handles = new ArrayList<>();
                          for (int i = 0; i < workers; i++) {
                            int id = i;
                            handles.add(
                                scope.spawn(
                                    "worker-" + id,
                                    c -> {
                                      c.sleep(Duration.ofMillis(delayMs));
                                      return id * id;
                                    }));
                          }
                          List<Integer> results = new ArrayList<>();
                          for (TaskHandle<Integer> h : handles) {
                            results.add(h.join(scope).orThrow());
                          }
                          return results;
                        })
                    .orThrow());
    return switch (outcome) {
      case Outcome.Ok<List<Integer>> ok ->
          ResponseEntity.ok(new FanOutResult("ok", ok.value(), null));
      case Outcome.Cancelled<List<Integer>> c ->
          ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
              .body(new FanOutResult("cancelled", List.of(), c.reason().root().kind().name()));
      default -> ResponseEntity.internalServerError().body(new FanOutResult("failed", List.of(), null));
    };
  }

  /** Response body of {@code /fanout}. */
  record FanOutResult(String status, List<Integer> results, @org.jspecify.annotations.Nullable String cancelKind) {}
}
