package dev.imagesearch.infra;

import java.nio.file.Path;
import java.util.Objects;
import software.constructs.Node;

/**
 * Every knob of the stack, read once from CDK context ({@code -c key=value} on the CLI, or {@code
 * key=value} arguments to {@code make synth}), with the defaults documented in {@code
 * infra-cdk/README.md}.
 *
 * <pre>{@code
 * StackSettings settings = StackSettings.fromContext(app.getNode(), ProjectLayout.find());
 * }</pre>
 *
 * @param instanceType EC2 instance type; its CPU architecture picks the AMI ({@code t4g.micro})
 * @param ingressCidr who may reach the HTTP port ({@code 0.0.0.0/0})
 * @param vpcId an existing VPC to use (needs an account and region); null means a new VPC
 * @param lambda whether to add the Lambda function and HTTP API ({@code false})
 * @param lambdaArm64 Lambda architecture: arm64 unless {@code lambdaArch=x86_64}
 * @param lambdaMemoryMb Lambda memory ({@code 2048})
 * @param throttleRate steady requests per second on the API stage ({@code 50})
 * @param throttleBurst burst on the API stage ({@code 100})
 * @param destroyOnRemoval delete the bucket with the stack (dev only; {@code false} retains it)
 * @param noncurrentIndexDays days after which replaced object versions expire ({@code 30})
 * @param service the values the service reads from its environment
 * @param jarPath the executable jar shipped to EC2 as an asset
 * @param lambdaZipPath the Lambda zip
 * @param ec2Dir the folder with the unit, env template and install script
 * @param javaRelease the Java release from the root POM; the Lambda runtime follows it
 * @param bootstrapKmsKeyArn the customer-managed KMS key of the CDK asset bucket, when the account
 *     was bootstrapped with one ({@code bootstrapKmsKeyArn}); null for the default encryption
 */
public record StackSettings(
    String instanceType,
    String ingressCidr,
    String vpcId,
    boolean lambda,
    boolean lambdaArm64,
    int lambdaMemoryMb,
    int throttleRate,
    int throttleBurst,
    boolean destroyOnRemoval,
    int noncurrentIndexDays,
    ServiceEnvironment.Values service,
    Path jarPath,
    Path lambdaZipPath,
    Path ec2Dir,
    int javaRelease,
    String bootstrapKmsKeyArn) {

  public StackSettings {
    Objects.requireNonNull(instanceType, "instanceType");
    Objects.requireNonNull(ingressCidr, "ingressCidr");
    Objects.requireNonNull(service, "service");
    if (bootstrapKmsKeyArn != null && !bootstrapKmsKeyArn.startsWith("arn:")) {
      throw new IllegalArgumentException(
          "context bootstrapKmsKeyArn must be a key ARN (arn:aws:kms:<region>:<account>:key/<id>),"
              + " got '"
              + bootstrapKmsKeyArn
              + "'");
    }
    if (!ingressCidr.matches("[0-9.]+/[0-9]{1,2}")) {
      throw new IllegalArgumentException(
          "context ingressCidr must be an IPv4 CIDR such as 203.0.113.0/24, got '"
              + ingressCidr
              + "'");
    }
  }

  /** Reads the settings from the app's context, filling in defaults from the project layout. */
  public static StackSettings fromContext(Node node, ProjectLayout layout) {
    Context context = new Context(node);
    String arch = context.text("lambdaArch", "arm64");
    if (!arch.equals("arm64") && !arch.equals("x86_64")) {
      throw new IllegalArgumentException(
          "context lambdaArch must be arm64 or x86_64, got '" + arch + "'");
    }
    return new StackSettings(
        context.text("instanceType", "t4g.micro"),
        context.text("ingressCidr", "0.0.0.0/0"),
        context.text("vpcId", null),
        context.flag("lambda", false),
        arch.equals("arm64"),
        context.number("lambdaMemory", 2048),
        context.number("throttleRate", 50),
        context.number("throttleBurst", 100),
        context.flag("destroyOnRemoval", false),
        context.number("noncurrentIndexDays", 30),
        new ServiceEnvironment.Values(
            context.text("modelName", "clip-vit-base-patch32"),
            context.text("endpointUrl", null),
            context.text("urlTtl", "PT15M"),
            context.text("indexPoll", "PT60S")),
        Path.of(context.text("jarPath", layout.jar().toString())),
        Path.of(context.text("lambdaZipPath", layout.lambdaZip().toString())),
        Path.of(context.text("ec2Dir", layout.ec2Dir().toString())),
        layout.javaRelease(),
        context.text("bootstrapKmsKeyArn", null));
  }

  /** Context values arrive as strings from the CLI and as any type from tests. */
  private record Context(Node node) {
    String text(String key, String fallback) {
      Object value = node.tryGetContext(key);
      return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
    }

    boolean flag(String key, boolean fallback) {
      String value = text(key, Boolean.toString(fallback));
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(
            "context " + key + " must be true or false, got '" + value + "'");
      }
      return Boolean.parseBoolean(value);
    }

    int number(String key, int fallback) {
      String value = text(key, Integer.toString(fallback));
      try {
        return Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "context " + key + " must be a whole number, got '" + value + "'", e);
      }
    }
  }
}
