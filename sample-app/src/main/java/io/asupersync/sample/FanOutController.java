package io.asupersync.sample;

import io.asupersync.Cx;
import io.asupersync.Outcome;
import io.asupersync.TaskBody;
import io.asupersync.TaskHandle;
import io.asupersync.combinator.Combinators;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Structured concurrency in a controller. Each handler takes a {@link Cx}, so it runs in its own request
 * region (budget {@code asupersync.web.request-budget}): nothing it starts outlives the request.
 *
 * <ul>
 *   <li>{@code GET /fanout?workers=N&delayMs=D&timeoutMs=T}: N workers in one scope under a timeout,
 *       joined in order. Either all finish (200 with their results) or the timeout cancels and drains
 *       every one of them before the answer is written (503).
 *   <li>{@code GET /race?delaysMs=40,10,80}: one replica per delay; the first to finish wins, the others
 *       are cancelled and drained before the race returns.
 * </ul>
 */
@RestController
class FanOutController {

  @GetMapping("/fanout")
  ResponseEntity<FanOutResult> fanOut(
      Cx cx,
      @RequestParam(defaultValue = "4") int workers,
      @RequestParam(defaultValue = "10") long delayMs,
      @RequestParam(defaultValue = "1000") long timeoutMs) {
    if (workers < 1 || workers > 1_000 || delayMs < 0 || timeoutMs < 1) {
      return ResponseEntity.badRequest().build();
    }
    Outcome<List<Integer>> outcome =
        Combinators.timeout(cx, Duration.ofMillis(timeoutMs), scope -> {
          List<TaskHandle<Integer>> handles = new ArrayList<>();
          for (int i = 0; i < workers; i++) {
            int id = i;
            handles.add(scope.spawn("worker-" + id, c -> {
              c.sleep(Duration.ofMillis(delayMs));
              return id * id;
            }));
          }
          List<Integer> results = new ArrayList<>();
          for (TaskHandle<Integer> handle : handles) {
            results.add(handle.join(scope).orThrow());
          }
          return results;
        });
    return switch (outcome) {
      case Outcome.Ok<List<Integer>> ok -> ResponseEntity.ok(new FanOutResult("ok", ok.value(), null));
      case Outcome.Cancelled<List<Integer>> c ->
          ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
              .body(new FanOutResult("cancelled", List.of(), c.reason().kind().name()));
      default -> ResponseEntity.internalServerError().body(new FanOutResult("failed", List.of(), null));
    };
  }

  @GetMapping("/race")
  ResponseEntity<RaceResult> race(Cx cx, @RequestParam(defaultValue = "40,10,80") String delaysMs) {
    long[] delays;
    try {
      delays = Arrays.stream(delaysMs.split(",")).mapToLong(s -> Long.parseLong(s.trim())).toArray();
    } catch (NumberFormatException ex) {
      return ResponseEntity.badRequest().build();
    }
    if (delays.length < 1 || delays.length > 16 || Arrays.stream(delays).anyMatch(d -> d < 0 || d > 60_000)) {
      return ResponseEntity.badRequest().build();
    }
    AtomicInteger ended = new AtomicInteger();
    List<TaskBody<String>> replicas = new ArrayList<>();
    for (int i = 0; i < delays.length; i++) {
      String name = "replica-" + i;
      long delay = delays[i];
      replicas.add(c -> {
        try {
          c.sleep(Duration.ofMillis(delay));
          return name;
        } finally {
          ended.incrementAndGet(); // a cancelled loser gets here too, before race returns
        }
      });
    }
    Outcome<String> winner = Combinators.race(cx, replicas);
    return winner instanceof Outcome.Ok<String> ok
        ? ResponseEntity.ok(new RaceResult(ok.value(), ended.get(), delays.length))
        : ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(new RaceResult(null, ended.get(), delays.length));
  }

  /** Response body of {@code /fanout}. */
  record FanOutResult(String status, List<Integer> results, @Nullable String cancelKind) {}

  /**
   * Response body of {@code /race}.
   *
   * @param replicasEnded replicas that had ended when the race returned: all of them
   */
  record RaceResult(@Nullable String winner, int replicasEnded, int replicas) {}
}
