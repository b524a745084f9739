package dev.imagesearch.infra;

import static dev.imagesearch.infra.TestStacks.onlyResource;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The bucket: private, TLS only, encrypted, versioned with only replaced versions expiring. */
class ImageBucketTest {
  private final Template template = TestStacks.defaultTemplate();

  @Test
  void blocksAllPublicAccess() {
    Map<String, Object> bucket = onlyResource(template, "AWS::S3::Bucket");
    assertEquals(
        Map.of(
            "BlockPublicAcls", true,
            "BlockPublicPolicy", true,
            "IgnorePublicAcls", true,
            "RestrictPublicBuckets", true),
        bucket.get("PublicAccessBlockConfiguration"));
  }

  @Test
  void encryptsWithS3ManagedKeys() {
    Map<String, Object> bucket = onlyResource(template, "AWS::S3::Bucket");
    assertEquals(
        Map.of(
            "ServerSideEncryptionConfiguration",
            List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
        bucket.get("BucketEncryption"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void deniesEveryRequestWithoutTls() {
    Map<String, Object> policy = onlyResource(template, "AWS::S3::BucketPolicy");
    List<Map<String, Object>> statements =
        (List<Map<String, Object>>)
            ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");

    assertEquals(1, statements.size(), statements.toString());
    Map<String, Object> deny = statements.get(0);
    assertEquals("Deny", deny.get("Effect"));
    assertEquals("s3:*", deny.get("Action"));
    assertEquals(Map.of("AWS", "*"), deny.get("Principal"));
    assertEquals(Map.of("Bool", Map.of("aws:SecureTransport", "false")), deny.get("Condition"));
    List<String> resources =
        ((List<Object>) deny.get("Resource")).stream().map(TestStacks::text).toList();
    // The bucket itself and every object in it.
    assertEquals(
        List.of("${ImagesBucket4B6DB8E1.Arn}", "${ImagesBucket4B6DB8E1.Arn}/*"), resources);
  }

  @Test
  void expiresOnlyReplacedVersionsSoTheLiveIndexNeverExpires() {
    Map<String, Object> bucket = onlyResource(template, "AWS::S3::Bucket");
    assertEquals(Map.of("Status", "Enabled"), bucket.get("VersioningConfiguration"));
    assertEquals(
        Map.of(
            "Rules",
            List.of(
                Map.of(
                    "Id",
                    "expire-replaced-versions",
                    "Status",
                    "Enabled",
                    "NoncurrentVersionExpiration",
                    Map.of("NoncurrentDays", 30),
                    "AbortIncompleteMultipartUpload",
                    Map.of("DaysAfterInitiation", 7)))),
        bucket.get("LifecycleConfiguration"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void isRetainedWhenTheStackIsDeleted() {
    Map<String, Map<String, Object>> buckets = template.findResources("AWS::S3::Bucket");
    Map<String, Object> bucket = buckets.values().iterator().next();
    assertEquals("Retain", bucket.get("DeletionPolicy"));
    assertEquals("Retain", bucket.get("UpdateReplacePolicy"));
  }

  @Test
  void outputsTheBucketName() {
    assertEquals(
        "${Ref:ImagesBucket4B6DB8E1}",
        TestStacks.text(
            ((Map<?, ?>) template.findOutputs("BucketName").get("BucketName")).get("Value")));
  }
}
