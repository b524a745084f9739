package dev.imagesearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's .env file: read from the working directory, under the real environment. */
class EnvFileTest {
  private static final String SEED_ENV =
      """
      # the seed's four names
      ENDPOINT_URL=http://127.0.0.1:9000
      BUCKET_NAME=photos
      AWS_ACCESS_KEY_ID=AKIAFROMFILE
      AWS_SECRET_ACCESS_KEY="s3cr3t from file"
      IMAGE_SEARCH_URL_TTL=PT5M
      """;

  @TempDir Path dir;

  @AfterEach
  void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void fileOnlyGivesEveryNameAndHandsCredentialsToTheSdk() throws Exception {
    Path file = Files.writeString(dir.resolve(".env"), SEED_ENV);

    Map<String, String> env = EnvFile.environment(file, Map.of());

    assertEquals(
        Map.of(
            "ENDPOINT_URL", "http://127.0.0.1:9000",
            "BUCKET_NAME", "photos",
            "AWS_ACCESS_KEY_ID", "AKIAFROMFILE",
            "AWS_SECRET_ACCESS_KEY", "s3cr3t from file",
            "IMAGE_SEARCH_URL_TTL", "PT5M"),
        env);
    // The SDK's default chain reads these system properties before the environment.
    assertEquals("AKIAFROMFILE", System.getProperty("aws.accessKeyId"));
    assertEquals("s3cr3t from file", System.getProperty("aws.secretAccessKey"));
  }

  @Test
  void realEnvironmentVariablesWin() throws Exception {
    Path file = Files.writeString(dir.resolve(".env"), SEED_ENV);

    Map<String, String> env =
        EnvFile.environment(
            file, Map.of("BUCKET_NAME", "from-shell", "AWS_ACCESS_KEY_ID", "AKIAFROMSHELL"));

    assertEquals("from-shell", env.get("BUCKET_NAME"));
    assertEquals("AKIAFROMSHELL", env.get("AWS_ACCESS_KEY_ID"));
    assertEquals("PT5M", env.get("IMAGE_SEARCH_URL_TTL"));
    // The shell's key is the one the SDK must use: the file's is not handed over.
    assertEquals(null, System.getProperty("aws.accessKeyId"));
  }

  @Test
  void noFileAddsNothing() {
    assertEquals(Map.of("A", "1"), EnvFile.environment(dir.resolve(".env"), Map.of("A", "1")));
  }

  @Test
  void aMalformedLineIsNamedByNumberWithoutItsSecret() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve(".env"),
            "BUCKET_NAME=photos\n# comment\nAWS_SECRET_ACCESS_KEY s3cr3t\nENDPOINT_URL=x\n");

    ImageSearchException e =
        assertThrows(ImageSearchException.class, () -> EnvFile.environment(file, Map.of()));

    assertEquals(
        file + " line 3 is not NAME=value (fix it, or comment it out with #)", e.getMessage());
    assertFalse(e.getMessage().contains("s3cr3t"));
  }
}
