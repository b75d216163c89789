package io.asupersync.spring.boot.autoconfigure.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.spring.boot.autoconfigure.AsupersyncAutoConfiguration;
import io.asupersync.spring.boot.autoconfigure.endpoint.AsupersyncEndpointAutoConfiguration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.IncludeExcludeEndpointFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.ClassUtils;

@ExtendWith(OutputCaptureExtension.class)
class AsupersyncSecurityAutoConfigurationTests {

  private static final String WARNING = "are exposed over HTTP and Spring Security is not on the classpath";

  private final WebApplicationContextRunner contextRunner =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  AsupersyncAutoConfiguration.class,
                  AsupersyncEndpointAutoConfiguration.class,
                  AsupersyncSecurityAutoConfiguration.class));

  private final FilteredClassLoader withoutSecurity = new FilteredClassLoader(SecurityFilterChain.class);

  @Test
  void warnsOnceWhenTheEndpointsAreExposedWithoutSpringSecurity(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .withPropertyValues("management.endpoints.web.exposure.include=health,asupersync,asupersynctrace")
        .run(context -> {
          assertThat(context.getBean(UnsecuredEndpointsWarning.class).exposed())
              .containsExactly("asupersync", "asupersynctrace");
          assertThat(output).containsOnlyOnce(WARNING).contains("[asupersync, asupersynctrace]");
        });
  }

  @Test
  void wildcardExposureCountsAsExposed(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .withPropertyValues(
            "management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=asupersynctrace")
        .run(context -> assertThat(context.getBean(UnsecuredEndpointsWarning.class).exposed())
            .containsExactly("asupersync"));
  }

  @Test
  void staysQuietWhenTheEndpointsAreNotExposed(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .run(context -> {
          assertThat(context.getBean(UnsecuredEndpointsWarning.class).exposed()).isEmpty();
          assertThat(output).doesNotContain(WARNING);
        });
  }

  @Test
  void staysQuietWithSpringSecurityOnTheClasspath(CapturedOutput output) {
    contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .run(context -> {
          assertThat(context).doesNotHaveBean(UnsecuredEndpointsWarning.class);
          assertThat(output).doesNotContain(WARNING);
        });
  }

  @Test
  void noAutoConfigurationOfTheStarterDefinesASecurityFilterChain() {
    List<Class<?>> all = new ArrayList<>();
    ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).forEach(name -> {
      if (name.startsWith("io.asupersync.")) {
        all.add(ClassUtils.resolveClassName(name, getClass().getClassLoader()));
      }
    });
    assertThat(all).hasSizeGreaterThan(10);
    all.addAll(List.of(HttpMessageConvertersAutoConfiguration.class, WebMvcAutoConfiguration.class));
    new WebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(all.toArray(Class<?>[]::new)))
        .withPropertyValues("management.endpoints.web.exposure.include=*", "asupersync.server.enabled=true",
            "asupersync.server.cleartext-port=0")
        .run(context -> assertThat(context).hasNotFailed().hasBean("asupersyncAuthenticationHttpFilter")
            .doesNotHaveBean(SecurityFilterChain.class));
  }

  @Test
  void warningBacksOffWhenTheUserDefinesABeanWithItsName(CapturedOutput output) {
    contextRunner
        .withClassLoader(withoutSecurity)
        .withPropertyValues("management.endpoints.web.exposure.include=*")
        .withBean("asupersyncUnsecuredEndpointsWarning", Object.class, Object::new)
        .run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(UnsecuredEndpointsWarning.class);
          assertThat(output).doesNotContain(WARNING);
        });
  }

  @Test
  void staysQuietOutsideAWebApplication() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsupersyncSecurityAutoConfiguration.class))
        .withClassLoader(withoutSecurity)
        .run(context -> assertThat(context).doesNotHaveBean(UnsecuredEndpointsWarning.class));
  }

  @Test
  void staysQuietWithoutTheActuator() {
    contextRunner
        .withClassLoader(new FilteredClassLoader(SecurityFilterChain.class, IncludeExcludeEndpointFilter.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(UnsecuredEndpointsWarning.class));
  }
}
