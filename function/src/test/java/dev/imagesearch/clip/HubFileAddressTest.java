package dev.imagesearch.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the hub's content address from its headers, and computing the same digest locally. */
class HubFileAddressTest {
  @TempDir Path dir;

  private static HttpHeaders headers(Map<String, String> values) {
    Map<String, List<String>> map = new java.util.HashMap<>();
    values.forEach((k, v) -> map.put(k, List.of(v)));
    return HttpHeaders.of(map, (k, v) -> true);
  }

  @Test
  void aGitFilesAddressIsItsBlobIdAsGitHashObjectComputesIt() throws Exception {
    // `printf 'hello\n' | git hash-object --stdin` prints ce013625030ba8dba906f756967f9e9ca394464a.
    Path file = Files.write(dir.resolve("hello"), "hello\n".getBytes(StandardCharsets.US_ASCII));
    HubFileAddress address =
        HubFileAddress.from(
                headers(
                    Map.of(
                        "ETag", "W/\"CE013625030BA8DBA906F756967F9E9CA394464A\"",
                        "Content-Length", "6",
                        "X-Repo-Commit", "abc")))
            .orElseThrow();

    assertEquals("git-sha1", address.algorithm());
    assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", address.hex());
    assertEquals(OptionalLong.of(6), address.size());
    assertEquals(Optional.of("abc"), address.commit());
    assertEquals(address.hex(), address.digestOf(file, "sha256 of the file, unused here"));
    assertEquals("Git blob ce013625030ba8dba906f756967f9e9ca394464a", address.describe());
  }

  @Test
  void anLfsFilesAddressIsItsSha256AndWinsOverTheEtag() throws Exception {
    // sha256 of "hello\n" (sha256sum prints 5891b5b5...be03).
    String sha = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    Path file = Files.write(dir.resolve("hello"), "hello\n".getBytes(StandardCharsets.US_ASCII));
    HubFileAddress address =
        HubFileAddress.from(
                headers(
                    Map.of(
                        "X-Linked-Etag", "\"" + sha + "\"",
                        "X-Linked-Size", "6",
                        "ETag", "\"ce013625030ba8dba906f756967f9e9ca394464a\"")))
            .orElseThrow();

    assertEquals(new HubFileAddress("sha256", sha, OptionalLong.of(6), Optional.empty()), address);
    // An LFS address is the file's sha256, which the downloader has already computed.
    assertEquals(sha, address.digestOf(file, sha));
  }

  @Test
  void headersWithoutADigestGiveNoAddress() {
    assertEquals(Optional.empty(), HubFileAddress.from(headers(Map.of("ETag", "\"abc-123\""))));
    assertEquals(Optional.empty(), HubFileAddress.from(headers(Map.of())));
  }
}
