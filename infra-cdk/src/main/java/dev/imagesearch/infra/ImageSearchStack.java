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
    nextSteps(bucket.getBucketName(), ec2.url(), settings);
    NagRules.apply(this);
  }

  /**
   * The runbook's next commands (docs/deploy.md) with this stack's bucket, region and address
   * filled in, so an operator copies them from the deploy output in order.
   */
  private void nextSteps(String bucket, String ec2Url, StackSettings settings) {
    String model = settings.service().modelName();
    String jar = "java -jar function/target/image-search.jar";
    String region = "AWS_REGION=" + getRegion() + " ";
    step(
        "Step1PushModel",
        "Put the model in the bucket (after make model)",
        region
            + jar
            + " model push --from work-data/model/"
            + model
            + " --to s3://"
            + bucket
            + "/models/"
            + model
            + "/");
    step(
        "Step2UploadImages",
        "Upload your images",
        "aws s3 sync ~/photos s3://" + bucket + "/images/");
    step(
        "Step3Index",
        "Index them into the bucket (the service picks the new index up within a minute)",
        region
            + jar
            + " index --images s3://"
            + bucket
            + "/images/ --index s3://"
            + bucket
            + "/ --model work-data/model/"
            + model);
    step("Step4WaitReady", "Wait until it answers ready:true", "curl -s " + ec2Url + "/readyz");
    if (!settings.lambda()) {
      step(
          "Step5LambdaRoute",
          "Optional: add the Lambda route (kept by later deploys)",
          "make deploy CONTEXT=lambda=true");
    }
  }

  private void step(String id, String description, String command) {
    CfnOutput.Builder.create(this, id).description(description).value(command).build();
  }
}
