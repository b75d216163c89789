package io.asupersync.fuzz;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Registered as a JUnit launcher service: installs {@link NettyReports} before any test class loads Netty. */
public final class FuzzSession implements LauncherSessionListener {

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    NettyReports.install();
  }
}
