package io.asupersync.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AuthTagTests {

  private final AuthKey key = AuthKey.fromBytes(AuthKeyTests.goodMaterial());
  private static final AuthDomain DOMAIN = AuthDomain.TRACE_EXPORT;

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] framing(AuthDomain domain, byte[]... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ByteBuffer> buffers = new ArrayList<>();
    for (byte[] f : fields) {
      buffers.add(ByteBuffer.wrap(f));
    }
    Framing.tag(new Framing.Sink() {
      @Override
      public void update(byte[] b) {
        out.writeBytes(b);
      }

      @Override
      public void update(ByteBuffer b) {
        byte[] copy = new byte[b.remaining()];
        b.get(copy);
        out.writeBytes(copy);
      }
    }, domain, buffers);
    return out.toByteArray();
  }

  @Test
  void aTagVerifiesOnlyOverTheSameFieldsWithTheSameKey() {
    AuthTag tag = AuthTag.compute(key, DOMAIN, bytes("header"), bytes("body"));
    assertThat(tag.keyId()).isEqualTo(key.keyId());
    assertThat(tag.verify(key, DOMAIN, bytes("header"), bytes("body"))).isTrue();
    assertThat(tag.verify(key, DOMAIN, bytes("header"), bytes("bodY"))).isFalse();
    assertThat(tag.verify(key, DOMAIN, bytes("header"))).isFalse();
    assertThat(tag.verify(AuthKey.generate(), DOMAIN, bytes("header"), bytes("body"))).isFalse();
    assertThat(tag.check(AuthKey.generate(), DOMAIN, List.of(ByteBuffer.wrap(bytes("header")), ByteBuffer.wrap(bytes("body")))))
        .isEqualTo(AuthFailure.WRONG_KEY);
    assertThat(tag.check(key, DOMAIN, List.of(ByteBuffer.wrap(bytes("x")))))
        .isEqualTo(AuthFailure.TAG_MISMATCH);
  }

  @Test
  void theTagIsHmacSha256OfTheDocumentedFraming() throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(AuthKeyTests.goodMaterial(), "HmacSHA256"));
    ByteBuffer expected = ByteBuffer.allocate(200);
    byte[] label = bytes("asupersync-auth-tag");
    byte[] domain = bytes(DOMAIN.name());
    expected.putInt(label.length).put(label).put((byte) 1)
        .putInt(domain.length).put(domain)
        .putInt(2)
        .putLong(2).put(bytes("ab"))
        .putLong(0);
    byte[] framed = Arrays.copyOf(expected.array(), expected.position());
    assertThat(framing(DOMAIN, bytes("ab"), new byte[0])).isEqualTo(framed);
    assertThat(AuthTag.compute(key, DOMAIN, bytes("ab"), new byte[0]).mac()).isEqualTo(mac.doFinal(framed));
  }

  @Test
  void twoDomainsNeverProduceTheSameTagForTheSamePayload() {
    List<AuthDomain> domains = List.of(AuthDomain.TRACE_FILE, AuthDomain.TRACE_EXPORT,
        new AuthDomain("a"), new AuthDomain("ab"), new AuthDomain("asupersync.trace.export2"));
    Random random = new Random(3);
    for (int i = 0; i < 300; i++) {
      byte[] payload = new byte[random.nextInt(i % 10 == 0 ? 1 : 256)];
      random.nextBytes(payload);
      Set<AuthTag> tags = new HashSet<>();
      for (AuthDomain d : domains) {
        AuthTag tag = AuthTag.compute(key, d, payload);
        tags.add(tag);
        for (AuthDomain other : domains) {
          assertThat(tag.verify(key, other, payload)).as(d + " tag in " + other).isEqualTo(d.equals(other));
        }
      }
      assertThat(tags).hasSameSizeAs(domains);
    }
  }

  @Test
  void theFramingIsInjective() {
    List<byte[]> framings = List.of(
        framing(DOMAIN),
        framing(DOMAIN, new byte[0]),
        framing(DOMAIN, new byte[0], new byte[0]),
        framing(DOMAIN, bytes("ab"), bytes("c")),
        framing(DOMAIN, bytes("a"), bytes("bc")),
        framing(DOMAIN, bytes("abc")),
        framing(new AuthDomain("a"), bytes("bc")),
        framing(new AuthDomain("ab"), bytes("c")));
    Set<String> distinct = new HashSet<>();
    for (byte[] f : framings) {
      distinct.add(java.util.HexFormat.of().formatHex(f));
    }
    assertThat(distinct).hasSameSizeAs(framings);
    assertThat(AuthTag.compute(key, DOMAIN, bytes("ab"), bytes("c")))
        .isNotEqualTo(AuthTag.compute(key, DOMAIN, bytes("a"), bytes("bc")));
  }

  @Test
  void verificationGoesThroughTheConstantTimeComparison() {
    AuthTag tag = AuthTag.compute(key, DOMAIN, bytes("payload"));
    for (byte[] payload : List.of(bytes("payload"), bytes("Payload"), bytes("payloaD"), bytes("x"))) {
      long before = ConstantTime.comparisons();
      tag.verify(key, DOMAIN, payload);
      assertThat(ConstantTime.comparisons() - before).as("comparisons for one verification").isEqualTo(1);
    }
    long before = ConstantTime.comparisons();
    assertThat(tag.equals(AuthTag.parse(tag.encode()))).isTrue();
    assertThat(ConstantTime.comparisons() - before).isEqualTo(1);
  }

  @Test
  void noSecurityClassComparesBytesWithAnEarlyExitComparison() {
    noClasses().that().resideInAPackage("io.asupersync.security")
        .should().callMethod(Arrays.class, "equals", byte[].class, byte[].class)
        .orShould().callMethod(Arrays.class, "mismatch", byte[].class, byte[].class)
        .orShould().callMethod(ByteBuffer.class, "equals", Object.class)
        .because("tags are compared with MessageDigest.isEqual only (ConstantTime)")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.asupersync.security"));
  }

  @Test
  void theTextFormRoundTripsAndIsStrict() {
    AuthTag tag = AuthTag.compute(key, DOMAIN, bytes("x"));
    String text = tag.encode();
    assertThat(text).matches("hmac-sha256:[0-9a-f]{16}:[0-9a-f]{64}");
    assertThat(AuthTag.parse(text)).isEqualTo(tag).hasSameHashCodeAs(tag);
    assertThat(tag.toString()).isEqualTo(text);
    for (String bad : List.of("", text.toUpperCase(java.util.Locale.ROOT), text + "0", text.substring(1),
        text.replace("hmac-sha256", "hmac-sha512"), text.replace(':', ';'), text.substring(0, text.length() - 1) + "g")) {
      assertThatThrownBy(() -> AuthTag.parse(bad)).as(bad)
          .isInstanceOfSatisfying(AuthenticationException.class, e -> assertThat(e.failure()).isEqualTo(AuthFailure.TAG_MALFORMED));
    }
  }

  @Test
  void everyOneBitChangeOfTheTextFormFailsToParseOrToVerify() {
    AuthTag tag = AuthTag.compute(key, DOMAIN, bytes("x"));
    byte[] text = tag.encode().getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < text.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] copy = text.clone();
        copy[i] ^= (byte) (1 << bit);
        AuthTag parsed;
        try {
          parsed = AuthTag.parse(new String(copy, StandardCharsets.ISO_8859_1));
        } catch (AuthenticationException e) {
          continue;
        }
        assertThat(parsed.verify(key, DOMAIN, bytes("x"))).as("byte %d bit %d", i, bit).isFalse();
      }
    }
  }

  @Test
  void anAllZeroTagIsRejected() {
    String zero = "hmac-sha256:" + key.keyId() + ":" + "0".repeat(64);
    assertThatThrownBy(() -> AuthTag.parse(zero))
        .isInstanceOfSatisfying(AuthenticationException.class, e -> {
          assertThat(e.failure()).isEqualTo(AuthFailure.TAG_MALFORMED);
          assertThat(e).hasMessageContaining("all-zero");
        });
  }

  @Test
  void domainNamesAreValidated() {
    for (String bad : List.of("", "Upper", "a..b", ".a", "a.", "a b", "x".repeat(65), "é")) {
      assertThatThrownBy(() -> new AuthDomain(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void bufferPositionsAreLeftUnchanged() {
    ByteBuffer field = ByteBuffer.wrap(bytes("abcdef"), 1, 3);
    AuthTag tag = AuthTag.compute(key, DOMAIN, List.of(field));
    assertThat(field.position()).isEqualTo(1);
    assertThat(tag.verify(key, DOMAIN, bytes("bcd"))).isTrue();
  }
}
