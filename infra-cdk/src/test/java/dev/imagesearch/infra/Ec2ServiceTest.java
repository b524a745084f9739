package dev.imagesearch.infra;

import static dev.imagesearch.infra.TestStacks.onlyResource;
import static dev.imagesearch.infra.TestStacks.onlyResourceId;
import static dev.imagesearch.infra.TestStacks.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The EC2 instance, its network, its role and its first-boot script, as deployed. */
class Ec2ServiceTest {
  private static final String AMI_PARAMETER_PREFIX =
      "/aws/service/ami-amazon-linux-latest/al2023-ami-";

  private final Template defaults = TestStacks.defaultTemplate();

  @Test
  void defaultIsArmT4gMicroOnAmazonLinux2023Arm64() {
    assertEquals("t4g.micro", onlyResource(defaults, "AWS::EC2::Instance").get("InstanceType"));
    assertEquals(List.of(AMI_PARAMETER_PREFIX + "kernel-6.1-arm64"), amiParameters(defaults));
  }

  @Test
  void t3MicroGetsTheX8664Image() {
    Template custom = TestStacks.customTemplate();
    assertEquals("t3.micro", onlyResource(custom, "AWS::EC2::Instance").get("InstanceType"));
    assertEquals(List.of(AMI_PARAMETER_PREFIX + "kernel-6.1-x86_64"), amiParameters(custom));
  }

  @Test
  @SuppressWarnings("unchecked")
  void requiresImdsV2() {
    Map<String, Object> launchTemplate = onlyResource(defaults, "AWS::EC2::LaunchTemplate");
    Map<String, Object> data = (Map<String, Object>) launchTemplate.get("LaunchTemplateData");
    assertEquals(Map.of("HttpTokens", "required"), data.get("MetadataOptions"));
    // The instance must actually use that launch template.
    Map<String, Object> instance = onlyResource(defaults, "AWS::EC2::Instance");
    assertEquals(
        "${" + onlyResourceId(defaults, "AWS::EC2::LaunchTemplate") + ".LatestVersionNumber}",
        text(((Map<String, Object>) instance.get("LaunchTemplate")).get("Version")));
  }

  @Test
  void hasNoKeyPairAndAnEncryptedRootVolume() {
    Map<String, Object> instance = onlyResource(defaults, "AWS::EC2::Instance");
    assertFalse(instance.containsKey("KeyName"), instance.toString());
    assertEquals(
        List.of(
            Map.of(
                "DeviceName",
                "/dev/xvda",
                "Ebs",
                Map.of("Encrypted", true, "VolumeSize", 8, "VolumeType", "gp3"))),
        instance.get("BlockDeviceMappings"));
  }

  @Test
  void opensOnlyPort80ToTheDefaultCidr() {
    assertEquals(
        List.of(
            Map.of(
                "CidrIp",
                "0.0.0.0/0",
                "Description",
                "image-search HTTP",
                "FromPort",
                80,
                "IpProtocol",
                "tcp",
                "ToPort",
                80)),
        onlyResource(defaults, "AWS::EC2::SecurityGroup").get("SecurityGroupIngress"));
    // No separate ingress resources either (that is where a port 22 rule could hide).
    assertEquals(Map.of(), defaults.findResources("AWS::EC2::SecurityGroupIngress"));
  }

  @Test
  void opensPort80ToTheConfiguredCidr() {
    assertEquals(
        List.of(
            Map.of(
                "CidrIp",
                "203.0.113.0/24",
                "Description",
                "image-search HTTP",
                "FromPort",
                80,
                "IpProtocol",
                "tcp",
                "ToPort",
                80)),
        onlyResource(TestStacks.customTemplate(), "AWS::EC2::SecurityGroup")
            .get("SecurityGroupIngress"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void roleHasSsmCoreAndReadsOnlyTheFourPrefixes() {
    Map<String, Object> role = onlyResource(defaults, "AWS::IAM::Role");
    assertEquals(
        List.of("arn:${Ref:AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"),
        ((List<Object>) role.get("ManagedPolicyArns")).stream().map(TestStacks::text).toList());

    List<Map<String, Object>> statements = statements(onlyResource(defaults, "AWS::IAM::Policy"));
    String bucket = "${ImagesBucket4B6DB8E1.Arn}";
    assertEquals(
        Map.of(
            "Sid", "ReadServicePrefixes",
            "Effect", "Allow",
            "Action", "s3:GetObject",
            "Resource",
                List.of(
                    bucket + "/images/*",
                    bucket + "/thumbs/*",
                    bucket + "/index/*",
                    bucket + "/models/*")),
        readable(statements.get(0)));
    assertEquals(
        Map.of(
            "Sid", "ListServicePrefixes",
            "Effect", "Allow",
            "Action", "s3:ListBucket",
            "Resource", bucket),
        readable(statements.get(1)),
        "no s3:prefix condition: a GET of a missing key carries no prefix, and without"
            + " ListBucket S3 answers it 403 instead of 404");
    // The rest: s3:GetObject on exactly the four deployment assets (jar, unit, env template,
    // install script) in the CDK asset bucket, one object each.
    List<Map<String, Object>> assets = statements.subList(2, statements.size());
    assertEquals(4, assets.size(), assets.toString());
    for (Map<String, Object> statement : assets) {
      Map<String, Object> readableStatement = readable(statement);
      assertEquals("s3:GetObject", readableStatement.get("Action"));
      assertEquals("Allow", readableStatement.get("Effect"));
      String resource = (String) readableStatement.get("Resource");
      assertTrue(
          resource.matches(
              "arn:\\$\\{Ref:AWS::Partition}:s3:::cdk-hnb659fds-assets-123456789012-eu-west-1/"
                  + "[0-9a-f]{64}\\.(jar|service|template|sh)"),
          resource);
    }
  }

  @Test
  void userDataInstallsCorrettoTheUnitAndStartsIt() throws IOException {
    String userData = text(onlyResource(defaults, "AWS::EC2::Instance").get("UserData"));

    String instanceId = onlyResourceId(defaults, "AWS::EC2::Instance");
    // Whatever ends the script (success, or a failed step under set -e) signals its exit code.
    assertTrue(
        userData.startsWith(
            "#!/bin/bash\nfunction exitTrap(){\nexitCode=$?\n/opt/aws/bin/cfn-signal --stack"
                + " ImageSearch --resource "
                + instanceId
                + " --region eu-west-1 -e $exitCode || echo 'Failed to send Cloudformation"
                + " Signal'\n}\ntrap exitTrap EXIT\n"
                + "set -euxo pipefail\nexport AWS_DEFAULT_REGION=eu-west-1\n"),
        userData);
    assertTrue(
        userData.contains(
            "\ndnf install -y java-"
                + TestStacks.layout().javaRelease()
                + "-amazon-corretto-headless\n"
                + "[ -x /opt/aws/bin/cfn-signal ] || dnf install -y aws-cfn-bootstrap\n"),
        userData);
    assertEquals(25, TestStacks.layout().javaRelease());
    for (String file :
        List.of(
            "image-search.jar",
            "image-search.service",
            "image-search.env.template",
            "install.sh")) {
      assertTrue(
          userData.matches(
              "(?s).*\naws s3 cp 's3://[^']+/[0-9a-f]{64}\\.[a-z]+' '/opt/image-search-install/"
                  + file.replace(".", "\\.")
                  + "'\n.*"),
          "downloads " + file + ":\n" + userData);
    }
    assertTrue(
        userData.contains(
            "\nBUCKET_NAME=${Ref:ImagesBucket4B6DB8E1}\nAWS_REGION=eu-west-1\nPORT=80\n"),
        userData);
    assertTrue(
        userData.endsWith(
            "\nbash /opt/image-search-install/install.sh --jar /opt/image-search-install/image-search.jar"
                + " --unit /opt/image-search-install/image-search.service"
                + " --env-template /opt/image-search-install/image-search.env.template"
                + " --env-file /opt/image-search-install/image-search.env"),
        userData);
    // The script user data runs is ec2/install.sh: it installs the unit, trains, starts it.
    String install = Files.readString(TestStacks.layout().ec2Dir().resolve("install.sh"));
    assertTrue(
        install.contains("install -m 644 \"$unit\" /etc/systemd/system/image-search.service"),
        install);
    assertTrue(install.contains("\nsystemctl enable image-search\n"), install);
    // One training start for the AOT cache (UnitCommandLineTest runs its command lines), then the
    // service's own start, checked by /healthz.
    int training = install.indexOf("> \"$dropin/aot-training.conf\"");
    int start = install.lastIndexOf("\nsystemctl start image-search\nif healthy; then");
    assertTrue(training > 0 && start > training, install);
  }

  @Test
  void outputsAStableUrlOnAnElasticIpThatFollowsTheInstance() {
    String eip = onlyResourceId(defaults, "AWS::EC2::EIP");
    assertEquals(
        "http://${Ref:" + eip + "}",
        text(((Map<?, ?>) defaults.findOutputs("Ec2Url").get("Ec2Url")).get("Value")));
    Map<String, Object> address = onlyResource(defaults, "AWS::EC2::EIP");
    assertEquals("vpc", address.get("Domain"));
    assertEquals(
        "${Ref:" + onlyResourceId(defaults, "AWS::EC2::Instance") + "}",
        text(address.get("InstanceId")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void deploymentWaitsForTheInstancesSignal() {
    Map<String, Object> instance =
        defaults.findResources("AWS::EC2::Instance").values().iterator().next();
    assertEquals(
        Map.of("ResourceSignal", Map.of("Count", 1, "Timeout", "PT20M")),
        instance.get("CreationPolicy"));
  }

  @Test
  void aCustomerManagedBootstrapKeyMayDecryptTheAssetsThroughS3Only(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
    String key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    Template template = TestStacks.template(tmp, Map.of("bootstrapKmsKeyArn", key));
    List<Map<String, Object>> decrypt =
        statements(onlyResource(template, "AWS::IAM::Policy")).stream()
            .filter(st -> "DecryptDeploymentAssets".equals(st.get("Sid")))
            .toList();
    assertEquals(
        List.of(
            Map.of(
                "Sid", "DecryptDeploymentAssets",
                "Effect", "Allow",
                "Action", "kms:Decrypt",
                "Resource", key,
                "Condition",
                    Map.of(
                        "StringEquals", Map.of("kms:ViaService", "s3.eu-west-1.amazonaws.com")))),
        decrypt);
    // Without the context value nothing about KMS is granted.
    assertEquals(
        List.of(),
        statements(onlyResource(defaults, "AWS::IAM::Policy")).stream()
            .filter(st -> String.valueOf(st.get("Action")).startsWith("kms:"))
            .toList());
  }

  private static List<String> amiParameters(Template template) {
    return template.toJSON().get("Parameters") instanceof Map<?, ?> parameters
        ? parameters.values().stream()
            .map(p -> String.valueOf(((Map<?, ?>) p).get("Default")))
            .filter(name -> name.startsWith("/aws/service/ami-"))
            .toList()
        : List.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> statements(Map<String, Object> policy) {
    return (List<Map<String, Object>>)
        ((Map<String, Object>) policy.get("PolicyDocument")).get("Statement");
  }

  /** A statement with every intrinsic flattened to text, so it compares as plain values. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> readable(Map<String, Object> statement) {
    Map<String, Object> out = new java.util.LinkedHashMap<>(statement);
    Object resource = statement.get("Resource");
    out.put(
        "Resource",
        resource instanceof List<?> list
            ? ((List<Object>) list).stream().map(TestStacks::text).toList()
            : text(resource));
    return out;
  }
}
