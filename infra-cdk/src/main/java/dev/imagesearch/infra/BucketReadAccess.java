package dev.imagesearch.infra;

import java.util.List;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.IBucket;

/**
 * Read-only access to the four prefixes the service reads: {@code s3:GetObject} on {@code
 * images/*}, {@code thumbs/*}, {@code index/*}, {@code models/*}, and {@code s3:ListBucket} on the
 * bucket. ListBucket has no {@code s3:prefix} condition on purpose: S3 answers a GET or HEAD of a
 * missing key with 404 only to a caller allowed to list the bucket, and a GET carries no prefix, so
 * a condition turns "no index yet" into 403 "access denied". Listing reveals key names only, and
 * the bucket holds nothing but the service's own data. The same grant is used by the EC2 role and
 * the Lambda function. ({@code bucket.grantRead} would add {@code GetObject*} and {@code List*}.)
 *
 * <pre>{@code
 * BucketReadAccess.grant(bucket, instanceRole);
 * }</pre>
 */
public final class BucketReadAccess {
  public static final List<String> PREFIXES = List.of("images/", "thumbs/", "index/", "models/");

  private BucketReadAccess() {}

  public static void grant(IBucket bucket, IGrantable grantee) {
    grantee
        .getGrantPrincipal()
        .addToPrincipalPolicy(
            PolicyStatement.Builder.create()
                .sid("ReadServicePrefixes")
                .effect(Effect.ALLOW)
                .actions(List.of("s3:GetObject"))
                .resources(PREFIXES.stream().map(p -> bucket.arnForObjects(p + "*")).toList())
                .build());
    grantee
        .getGrantPrincipal()
        .addToPrincipalPolicy(
            PolicyStatement.Builder.create()
                .sid("ListServicePrefixes")
                .effect(Effect.ALLOW)
                .actions(List.of("s3:ListBucket"))
                .resources(List.of(bucket.getBucketArn()))
                .build());
  }
}
