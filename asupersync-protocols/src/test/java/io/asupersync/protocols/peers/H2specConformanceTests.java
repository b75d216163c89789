package io.asupersync.protocols.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.asupersync.protocols.tls.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * h2spec 2.2.0 against our server, on the cleartext port (h2c with prior knowledge) and on the TLS port
 * (ALPN h2). Every case must pass except those named in the allow-list of {@code
 * asupersync-protocols/README.md} ("Conformance and peers"), and at least {@value #MIN_PASSED} must pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class H2specConformanceTests {
  static final int MIN_CASES = 145;
  static final int MIN_PASSED = 142;

  private PeerServer server;

  @BeforeAll
  void startServer() throws Exception {
    server = new PeerServer(ClientAuth.NONE);
  }

  @AfterAll
  void stopServer() {
    server.close();
  }

  @Test
  void cleartextPortPassesH2specWithPriorKnowledge() throws Exception {
    assertConformant("h2c", run("h2c", server.cleartextPort()));
  }

  @Test
  void tlsPortPassesH2specOverAlpn() throws Exception {
    // -k: h2spec does not take a CA file; the certificate is ours and checked by the curl and openssl tests.
    assertConformant("tls", run("tls", server.tlsPort(), "-t", "-k"));
  }

  /** One h2spec case: its id (spec section and description, as the report names it) and why it failed, if it did. */
  record Case(String id, @Nullable String failure) {
    boolean passed() {
      return failure == null;
    }
  }

  private List<Case> run(String label, int port, String... options) throws Exception {
    Path h2spec = PeerTools.h2spec();
    Path report = Path.of("target", "h2spec-" + label + ".xml").toAbsolutePath();
    Files.createDirectories(report.getParent());
    Files.deleteIfExists(report);
    // -o: seconds to wait for an expected frame. Only the allowed failures wait it out; passing cases
    // answer within about a second even on a loaded machine (h2spec's default is 2).
    List<String> command =
        new ArrayList<>(List.of(h2spec.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-o", "3", "-j", report.toString()));
    command.addAll(List.of(options));
    PeerTools.Run run = PeerTools.run(Duration.ofMinutes(5), "", command);
    Files.writeString(report.resolveSibling("h2spec-" + label + ".log"), run.output());
    assertThat(report).as("h2spec wrote no report: %s", run).exists();
    return parse(report);
  }

  /** The testcases of h2spec's JUnit report ({@code -j}). */
  static List<Case> parse(Path report) throws Exception {
    var factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    NodeList testcases = factory.newDocumentBuilder().parse(report.toFile()).getElementsByTagName("testcase");
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < testcases.getLength(); i++) {
      Element testcase = (Element) testcases.item(i);
      String id = testcase.getAttribute("package") + " " + testcase.getAttribute("classname");
      String failure = null;
      for (String tag : List.of("failure", "error", "skipped")) {
        NodeList found = testcase.getElementsByTagName(tag);
        if (found.getLength() > 0) {
          Element e = (Element) found.item(0);
          failure = (tag + ": " + e.getAttribute("message") + " " + e.getTextContent()).strip();
          break;
        }
      }
      cases.add(new Case(id, failure));
    }
    return cases;
  }

  private static void assertConformant(String port, List<Case> cases) throws Exception {
    Map<String, String> failures = new TreeMap<>();
    cases.stream().filter(c -> !c.passed()).forEach(c -> failures.put(c.id(), c.failure()));
    long passed = cases.stream().filter(Case::passed).count();
    assertThat(cases).as("h2spec cases run on the %s port", port).hasSizeGreaterThanOrEqualTo(MIN_CASES);
    assertThat(passed).as("h2spec cases passed on the %s port; failures: %s", port, failures).isGreaterThanOrEqualTo(MIN_PASSED);
    assertThat(failures.keySet())
        .as("h2spec failures on the %s port not in the README allow-list: %s", port, failures)
        .isSubsetOf(H2specAllowList.read(port));
  }
}
