package io.asupersync.sample;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Answers {@code GET /hello}: the smallest endpoint that shows the application is up. */
@RestController
class HelloController {

  static final String GREETING = "Hello from Asupersync";

  @GetMapping(path = "/hello", produces = MediaType.TEXT_PLAIN_VALUE)
  String hello() {
    return GREETING;
  }
}
