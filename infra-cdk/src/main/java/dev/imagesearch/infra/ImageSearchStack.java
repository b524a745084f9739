package dev.imagesearch.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.Bucket;
import software.constructs.Construct;

/**
 * The whole deployment: the private bucket, the EC2 service, and (with {@code lambda=true}) the
 * Lambda function behind an HTTP API; cdk-nag checks it at synth. Outputs: {@code BucketName},
 * {@code Ec2Url} and, with Lambda, {@code ApiUrl}.
 *
 * <pre>{@code
 * new ImageSearchStack(app, "ImageSearch", props, StackSettings.fromContext(app.getNode(), layout));
 * }</pre>
 */
public final class ImageSearchStack extends Stack {
  public ImageSearchStack(Construct scope, String id, StackProps props, StackSettings settings) {
    super(scope, id, props);
    // Without this flag the IMDSv2 launch template gets the fixed name "InstanceLaunchTemplate",
    // so a second copy of the stack in the same account and region would fail to deploy.
    getNode().setContext("@aws-cdk/aws-ec2:uniqueImdsv2TemplateName", true);
    Bucket bucket = new ImageBucket(this, "Images", settings).bucket();
    Ec2Service ec2 = new Ec2Service(this, "Ec2", settings, bucket);

    CfnOutput.Builder.create(this, "BucketName")
        .description("Upload images/ here, then index them (see README)")
        .value(bucket.getBucketName())
        .build();
    CfnOutput.Builder.create(this, "Ec2Url")
        .description("The search page served by the EC2 instance")
        .value(ec2.url())
        .build();
    if (settings.lambda()) {
      LambdaRoute route = new LambdaRoute(this, "Lambda", settings, bucket);
      CfnOutput.Builder.create(this, "ApiUrl")
          .description("The search page served by Lambda through the HTTP API")
          .value(route.url())
          .build();
    }
    NagRules.apply(this);
  }
}
