package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.ImageSearchException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {
  private static final Instant NOW = Instant.parse("2026-11-30T03:00:00Z");
  @TempDir Path root;

  private LocalBlobStore store() {
    UrlSigner signer =
        new UrlSigner(
            "local-test-key-local-test-key-32b".getBytes(StandardCharsets.UTF_8), "/files");
    return new LocalBlobStore(root, signer, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void writeReadListTagDeleteRoundTrip() throws Exception {
    LocalBlobStore store = store();
    byte[] cat = {1, 2, 3, (byte) 0xff};
    store.write("images/cat.jpg", cat);
    Path file = Files.write(root.resolve("upload.bin"), new byte[] {9, 8, 7});
    store.write("images/sub/dog.png", file);

    assertArrayEquals(cat, store.readIfExists("images/cat.jpg").orElseThrow());
    try (InputStream in = store.open("images/sub/dog.png")) {
      assertArrayEquals(new byte[] {9, 8, 7}, in.readAllBytes());
    }
    assertEquals(List.of("images/cat.jpg", "images/sub/dog.png"), store.list("images/"));
    assertEquals(List.of("images/sub/dog.png"), store.list("images/sub"));
    assertEquals(List.of(), store.list("thumbs/"));
    assertEquals(Optional.empty(), store.readIfExists("images/none.jpg"));
    assertEquals(Optional.empty(), store.tag("images/none.jpg"));

    store.delete("images/cat.jpg");
    store.delete("images/cat.jpg"); // absent: ignored
    assertEquals(List.of("images/sub/dog.png"), store.list("images/"));
  }

  @Test
  void rewritingAnObjectChangesItsTagAndLeavesNoTempFiles() throws Exception {
    LocalBlobStore store = store();
    store.write("index/CURRENT", "20261130T030000Z-aaaaaaaa".getBytes(StandardCharsets.UTF_8));
    String first = store.tag("index/CURRENT").orElseThrow();
    // Same length, written immediately: size and maybe mtime agree; the new inode does not.
    store.write("index/CURRENT", "20261130T030001Z-bbbbbbbb".getBytes(StandardCharsets.UTF_8));
    String second = store.tag("index/CURRENT").orElseThrow();

    assertNotEquals(first, second);
    try (Stream<Path> files = Files.list(root.resolve("index"))) {
      assertEquals(List.of("CURRENT"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void keysThatWouldLeaveTheFolderAreRefused() {
    LocalBlobStore store = store();
    for (String bad : List.of("../secret", "images/../../x", "/etc/passwd", "a//b", "a\\b", "")) {
      ImageSearchException e =
          assertThrows(ImageSearchException.class, () -> store.write(bad, new byte[1]), bad);
      assertTrue(e.getMessage().contains("key"), e.getMessage());
    }
  }

  @Test
  void openingAMissingObjectNamesIt() {
    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> store().open("images/none.jpg"));
    assertEquals("no object 'images/none.jpg' in " + root.toAbsolutePath(), e.getMessage());
  }

  @Test
  void signedUrlsAreTheAppsOwnVerifiableLinks() {
    LocalBlobStore store = store();
    URI uri = store.signedUrl("thumbs/cat.jpg.jpg", Duration.ofMinutes(15));
    // 1796007600 (NOW) + 900 s
    assertTrue(
        uri.toString().startsWith("/files/thumbs/cat.jpg.jpg?expires=1796008500&sig="),
        uri.toString());
    String sig = uri.getRawQuery().substring(uri.getRawQuery().indexOf("sig=") + 4);
    assertEquals(
        UrlSigner.Verdict.OK,
        store
            .signer()
            .verify(store.signer().keyFromPath(uri.getRawPath()), "1796008500", sig, NOW));
  }
}
