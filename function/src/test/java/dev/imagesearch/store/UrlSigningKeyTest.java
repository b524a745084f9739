package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local signing key: made once, owner-only, and the same after a restart. */
class UrlSigningKeyTest {
  @TempDir Path dir;

  @Test
  void createdOwnerOnlyAtFirstStartAndReusedAfter() throws Exception {
    Path file = dir.resolve("store/.url-signing-key");
    byte[] first = UrlSigningKey.loadOrCreate(file);
    assertEquals(32, first.length);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertArrayEquals(first, UrlSigningKey.loadOrCreate(file));
  }

  @Test
  void aKeyFileOthersCanReadIsNarrowedWithAWarning() throws Exception {
    Path file = dir.resolve(".url-signing-key");
    byte[] first = UrlSigningKey.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (LogCapture log = new LogCapture(UrlSigningKey.class)) {
      assertArrayEquals(first, UrlSigningKey.loadOrCreate(file));
      assertEquals(
          List.of(
              "the URL signing key "
                  + file
                  + " was readable by others (rw-r--r--); narrowed to owner-only"),
          log.warnings());
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void linksSignedBeforeARestartStillWorkAfterIt() {
    StoreConfig config = StoreConfig.local(dir.resolve("store"));
    StoreLocation.Local location = new StoreLocation.Local(dir.resolve("store"));
    Instant now = Instant.parse("2026-12-01T12:00:00Z");
    URI link =
        BlobStores.local(location, config)
            .signer()
            .sign("images/a.jpg", Duration.ofMinutes(15), now);
    UrlSigner afterRestart = BlobStores.local(location, config).signer();
    String query = link.getRawQuery();
    String expires = query.replaceAll(".*expires=([^&]*).*", "$1");
    String sig = query.replaceAll(".*sig=([^&]*).*", "$1");
    assertEquals(UrlSigner.Verdict.OK, afterRestart.verify("images/a.jpg", expires, sig, now));
  }
}
