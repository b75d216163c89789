/** Spring MVC integration: handler methods that take a {@code Cx} run in a request region with a budget. */
@NullMarked
package io.asupersync.spring.boot.webmvc;

import org.jspecify.annotations.NullMarked;
