package dev.imagesearch.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The private bucket holding {@code images/}, {@code thumbs/}, {@code index/} and {@code models/}.
 * Nothing in it is public: the service hands out short-lived presigned URLs instead.
 *
 * <p>Versioning is on so an overwritten {@code index/CURRENT} or a bad re-index can be rolled back;
 * the lifecycle rule expires only <em>noncurrent</em> versions, so the live index (which {@code
 * CURRENT} names) never expires, however old it is.
 *
 * <p>With {@code destroyOnRemoval=true} (dev stacks) the bucket is deleted with the stack; S3
 * refuses to delete a bucket that still holds objects, so empty it (all versions) first.
 *
 * <pre>{@code
 * Bucket bucket = new ImageBucket(this, "Images", settings).bucket();
 * }</pre>
 */
public final class ImageBucket extends Construct {
  private final Bucket bucket;

  public ImageBucket(Construct scope, String id, StackSettings settings) {
    super(scope, id);
    this.bucket =
        Bucket.Builder.create(this, "Bucket")
            .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
            .enforceSsl(true)
            .encryption(BucketEncryption.S3_MANAGED)
            .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
            .versioned(true)
            .lifecycleRules(
                List.of(
                    LifecycleRule.builder()
                        .id("expire-replaced-versions")
                        .noncurrentVersionExpiration(Duration.days(settings.noncurrentIndexDays()))
                        .abortIncompleteMultipartUploadAfter(Duration.days(7))
                        .build()))
            .removalPolicy(
                settings.destroyOnRemoval() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
  }

  public Bucket bucket() {
    return bucket;
  }
}
