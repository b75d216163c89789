package io.asupersync.protocols.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The h2spec cases allowed to fail, read from the table between {@code <!-- h2spec-allow-list -->} and
 * {@code <!-- /h2spec-allow-list -->} in {@code asupersync-protocols/README.md}, so the documented list
 * and the enforced one cannot drift apart. A row is {@code | ports | section | case | reason |}, ports
 * being {@code h2c}, {@code tls} or {@code both}; a row without a reason is rejected.
 */
final class H2specAllowList {
  private static final String START = "<!-- h2spec-allow-list -->";
  private static final String END = "<!-- /h2spec-allow-list -->";

  private H2specAllowList() {}

  /** Case ids ({@code section + " " + case}) allowed to fail on {@code port} ({@code h2c} or {@code tls}). */
  static Set<String> read(String port) throws IOException {
    Path readme = PeerTools.repoRoot().resolve("asupersync-protocols/README.md");
    List<String> lines = Files.readAllLines(readme);
    int start = lines.indexOf(START);
    int end = lines.indexOf(END);
    if (start < 0 || end < start) {
      throw new IllegalStateException(readme + " has no h2spec allow-list between " + START + " and " + END);
    }
    Set<String> allowed = new HashSet<>();
    for (String line : lines.subList(start + 1, end)) {
      if (!line.startsWith("|") || line.startsWith("|---") || line.startsWith("| ports")) {
        continue;
      }
      String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|");
      if (cells.length != 4 || cell(cells[3]).isEmpty()) {
        throw new IllegalStateException("allow-list row needs ports, section, case and a reason: " + line);
      }
      String ports = cell(cells[0]);
      if (ports.equals("both") || ports.equals(port)) {
        allowed.add(cell(cells[1]) + " " + cell(cells[2]));
      }
    }
    return allowed;
  }

  private static String cell(String raw) {
    return raw.strip().replace("`", "");
  }
}
