package dev.imagesearch.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.S3DownloadOptions;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The instance's first-boot script: installs Corretto (the root POM's Java release), downloads the
 * jar and {@code ec2/} files (CDK assets, so {@code cdk deploy} uploads them), writes the
 * environment file from {@link ServiceEnvironment}, then runs {@code ec2/install.sh}, the same
 * script an operator runs on a hand-made instance. That script adds swap, installs the unit, runs
 * {@code systemctl enable image-search}, trains the JDK's AOT cache with one start and starts the
 * service.
 *
 * <pre>{@code
 * UserData userData = ServiceUserData.create(this, settings, env, role);
 * }</pre>
 */
public final class ServiceUserData {
  /** Where the downloaded assets land on the instance before install.sh copies them into place. */
  static final String STAGING = "/opt/image-search-install";

  private ServiceUserData() {}

  /**
   * @param env the environment file's content, in order
   * @param role the instance role: it gets {@code s3:GetObject} on exactly these asset objects
   */
  public static UserData create(
      Construct scope, StackSettings settings, Map<String, String> env, IGrantable role) {
    UserData userData = UserData.forLinux();
    userData.addCommands(
        "set -euxo pipefail",
        // The asset bucket and the service's bucket are in the stack's region.
        "export AWS_DEFAULT_REGION=" + Stack.of(scope).getRegion(),
        // Corretto from the Amazon Linux 2023 repositories; cfn-signal (aws-cfn-bootstrap) reports
        // the result to CloudFormation, from the exit trap the stack adds after these lines.
        "dnf install -y java-" + settings.javaRelease() + "-amazon-corretto-headless",
        "[ -x /opt/aws/bin/cfn-signal ] || dnf install -y aws-cfn-bootstrap");
    grantAssetKey(scope, settings, role);
    Path ec2 = settings.ec2Dir();
    String jar =
        download(
            scope,
            userData,
            role,
            "Jar",
            ProjectLayout.requireBuilt(settings.jarPath(), "make build"),
            "image-search.jar");
    String unit =
        download(
            scope,
            userData,
            role,
            "Unit",
            ec2.resolve("image-search.service"),
            "image-search.service");
    String template =
        download(
            scope,
            userData,
            role,
            "EnvTemplate",
            ec2.resolve("image-search.env.template"),
            "image-search.env.template");
    String script =
        download(scope, userData, role, "InstallScript", ec2.resolve("install.sh"), "install.sh");

    List<String> envFile = new ArrayList<>();
    envFile.add("cat > " + STAGING + "/image-search.env <<'IMAGE_SEARCH_ENV'");
    env.forEach((name, value) -> envFile.add(name + "=" + value));
    envFile.add("IMAGE_SEARCH_ENV");
    userData.addCommands(envFile.toArray(String[]::new));

    userData.addCommands(
        String.join(
            " ",
            "bash",
            script,
            "--jar",
            jar,
            "--unit",
            unit,
            "--env-template",
            template,
            "--env-file",
            STAGING + "/image-search.env"));
    return userData;
  }

  /**
   * With an asset bucket encrypted by a customer-managed KMS key ({@code cdk bootstrap
   * --bootstrap-kms-key-id}, named in context {@code bootstrapKmsKeyArn}), reading an asset also
   * needs {@code kms:Decrypt} on that key, and only through S3.
   */
  static void grantAssetKey(Construct scope, StackSettings settings, IGrantable role) {
    if (settings.bootstrapKmsKeyArn() == null) {
      return;
    }
    role.getGrantPrincipal()
        .addToPrincipalPolicy(
            PolicyStatement.Builder.create()
                .sid("DecryptDeploymentAssets")
                .actions(List.of("kms:Decrypt"))
                .resources(List.of(settings.bootstrapKmsKeyArn()))
                .conditions(
                    Map.of(
                        "StringEquals",
                        Map.of(
                            "kms:ViaService",
                            "s3." + Stack.of(scope).getRegion() + ".amazonaws.com")))
                .build());
  }

  private static String download(
      Construct scope, UserData userData, IGrantable role, String id, Path file, String localName) {
    Asset asset = Asset.Builder.create(scope, id).path(file.toString()).build();
    // Only these objects of the CDK asset bucket, rather than asset.grantRead's bucket-wide List*.
    role.getGrantPrincipal()
        .addToPrincipalPolicy(
            PolicyStatement.Builder.create()
                .actions(List.of("s3:GetObject"))
                .resources(List.of(asset.getBucket().arnForObjects(asset.getS3ObjectKey())))
                .build());
    return userData.addS3DownloadCommand(
        S3DownloadOptions.builder()
            .bucket(asset.getBucket())
            .bucketKey(asset.getS3ObjectKey())
            .localFile(STAGING + "/" + localName)
            .build());
  }
}
