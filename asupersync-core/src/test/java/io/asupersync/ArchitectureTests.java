package io.asupersync;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Rules every core class follows: no console output, no interrupts, waits only through the scheduler. */
class ArchitectureTests {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.asupersync");

  @Test
  void coreNeverWritesToStdoutOrStderr() {
    noClasses()
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .orShould().callMethod(Throwable.class, "printStackTrace")
        .because("core code reports through trace events and System.Logger, never the console")
        .check(CORE);
  }

  @Test
  void waitPrimitivesParkAndWakeOnlyThroughTheScheduler() {
    noClasses()
        .that().resideInAnyPackage(
            "io.asupersync.channel..", "io.asupersync.sync..", "io.asupersync.combinator..",
            "io.asupersync.net..", "io.asupersync.fs..")
        .should().accessClassesThat().haveFullyQualifiedName(java.util.concurrent.locks.LockSupport.class.getName())
        .because("waits go through Cx.park and Waker so that the lab scheduler sees every one of them")
        .check(CORE);
  }

  @Test
  void coreNeverInterruptsThreads() {
    noClasses()
        // Runtime.run and LabRuntime.run only restore their own caller's interrupt flag.
        .that().doNotHaveFullyQualifiedName(Runtime.class.getName())
        .and().doNotHaveFullyQualifiedName(io.asupersync.lab.LabRuntime.class.getName())
        .should().callMethod(Thread.class, "interrupt")
        .because("interrupts close NIO channels; cancellation is a protocol, not an interrupt")
        .check(CORE);
  }
}
