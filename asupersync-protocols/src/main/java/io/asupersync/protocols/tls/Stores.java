package io.asupersync.protocols.tls;

import io.asupersync.protocols.tls.TlsConfigException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import org.jspecify.annotations.Nullable;

/** Loads key stores from files, detecting PKCS#12 or JKS from the content. */
final class Stores {
  private Stores() {}

  static KeyStore load(Path file, char @Nullable [] password) throws TlsConfigException {
    if (!Files.isRegularFile(file)) {
      throw new TlsConfigException(Reason.UNREADABLE, file + ": no such file");
    }
    Pem.read(file); // size check and a clear message for unreadable files before the store parses it
    try {
      return KeyStore.getInstance(file.toFile(), password);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw new TlsConfigException(Reason.BAD_PASSWORD, file + ": wrong key store password", e);
      }
      throw new TlsConfigException(Reason.MALFORMED, file + ": not a PKCS#12 or JKS key store (" + e.getMessage() + ")", e);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new TlsConfigException(Reason.MALFORMED, file + ": not a PKCS#12 or JKS key store (" + e.getMessage() + ")", e);
    }
  }
}
