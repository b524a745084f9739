package dev.imagesearch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.imagesearch.ImageSearchException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
  private static String error(Map<String, String> env) {
    return assertThrows(ImageSearchException.class, () -> StoreConfig.fromEnv(env)).getMessage();
  }

  @Test
  void noConfigurationMeansTheLocalDemoFolder() {
    StoreConfig config = StoreConfig.fromEnv(Map.of());
    assertEquals(new StoreLocation.Local(Path.of("work-data/demo")), config.location());
    assertEquals(Duration.ofMinutes(15), config.urlTtl());
    assertEquals("/files", config.filesPath());
    assertEquals(Duration.ofSeconds(30), config.indexPoll());
    assertEquals(3, config.keepVersions());
  }

  @Test
  void theSeedsVariablesSelectAnS3CompatibleBucket() {
    StoreConfig config =
        StoreConfig.fromEnv(
            Map.of("BUCKET_NAME", "photos", "ENDPOINT_URL", "http://localhost:9000"));
    assertEquals(new StoreLocation.S3("photos", ""), config.location());
    assertEquals(Optional.of(URI.create("http://localhost:9000")), config.endpoint());
    assertEquals(Optional.of("us-east-1"), config.region());
  }

  @Test
  void storeLocationsParse() {
    assertEquals(
        new StoreLocation.S3("photos", "demo/v2/"), StoreLocation.parse("s3://photos/demo/v2"));
    assertEquals(new StoreLocation.S3("photos", ""), StoreLocation.parse("s3://photos"));
    assertEquals(new StoreLocation.Local(Path.of("/data/x")), StoreLocation.parse("/data/x"));
    StoreConfig config =
        StoreConfig.fromEnv(
            Map.of(
                "IMAGE_SEARCH_STORE", "s3://photos/demo",
                "AWS_REGION", "eu-west-1",
                "IMAGE_SEARCH_URL_TTL", "600",
                "IMAGE_SEARCH_INDEX_POLL", "PT5S",
                "IMAGE_SEARCH_FILES_PATH", "/prod/files"));
    assertEquals(new StoreLocation.S3("photos", "demo/"), config.location());
    assertEquals(Duration.ofMinutes(10), config.urlTtl());
    assertEquals(Duration.ofSeconds(5), config.indexPoll());
    assertEquals("/prod/files", config.filesPath());
  }

  @Test
  void wrongValuesNameTheVariable() {
    assertEquals(
        "AWS_REGION is not set: S3 store s3://photos/ needs the bucket's region",
        error(Map.of("BUCKET_NAME", "photos")));
    assertEquals(
        "BUCKET_NAME: 'My_Bucket' is not a valid bucket name (3-63 lowercase letters, digits, '.',"
            + " '-')",
        error(Map.of("BUCKET_NAME", "My_Bucket", "AWS_REGION", "eu-west-1")));
    assertEquals(
        "ENDPOINT_URL='localhost:9000' is not an http(s) URL like http://localhost:9000",
        error(Map.of("BUCKET_NAME", "photos", "ENDPOINT_URL", "localhost:9000")));
    assertEquals(
        "IMAGE_SEARCH_URL_TTL='soon' is not a duration: give seconds (900) or ISO-8601 (PT15M)",
        error(Map.of("IMAGE_SEARCH_URL_TTL", "soon")));
    assertEquals(
        "IMAGE_SEARCH_URL_TTL=PT192H must be between 1 second and 7 days",
        error(Map.of("IMAGE_SEARCH_URL_TTL", "P8D")));
    assertEquals(
        "IMAGE_SEARCH_URL_KEY is shorter than 32 characters: use a long random value",
        error(Map.of("IMAGE_SEARCH_URL_KEY", "secret")));
    assertEquals(
        "IMAGE_SEARCH_STORE=s3://a-bucket and BUCKET_NAME=photos disagree: set only one of them",
        error(Map.of("IMAGE_SEARCH_STORE", "s3://a-bucket", "BUCKET_NAME", "photos")));
    assertEquals(
        "IMAGE_SEARCH_KEEP_VERSIONS='three' is not a whole number",
        error(Map.of("IMAGE_SEARCH_KEEP_VERSIONS", "three")));
  }

  @Test
  void toStringNeverShowsTheSigningKey() {
    String key = "k".repeat(40);
    String text = StoreConfig.fromEnv(Map.of("IMAGE_SEARCH_URL_KEY", key)).toString();
    assertEquals(false, text.contains(key), text);
    assertEquals(true, text.contains("urlKey=(set)"), text);
  }
}
