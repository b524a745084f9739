package dev.imagesearch.infra;

import java.util.List;
import software.amazon.awscdk.CfnCreationPolicy;
import software.amazon.awscdk.CfnResourceSignal;
import software.amazon.awscdk.CfnTag;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.AmazonLinux2023ImageSsmParameterProps;
import software.amazon.awscdk.services.ec2.AmazonLinuxCpuType;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.amazon.awscdk.services.ec2.CfnInstance;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Instance;
import software.amazon.awscdk.services.ec2.InstanceArchitecture;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcLookupOptions;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * One small EC2 instance running the jar under systemd on port {@value
 * ServiceEnvironment#EC2_PORT}: Amazon Linux 2023 for the instance type's CPU (arm64 for t4g,
 * x86_64 for t3), IMDSv2 only, administered through SSM Session Manager (no key pair, no SSH port),
 * in a public subnet of a small VPC without NAT gateways (or an existing VPC).
 *
 * <pre>{@code
 * Ec2Service ec2 = new Ec2Service(this, "Service", settings, bucket);
 * String url = ec2.url(); // http://203.0.113.10 (an Elastic IP)
 * }</pre>
 */
public final class Ec2Service extends Construct {
  /**
   * How long CloudFormation waits for the user data's signal (install, AOT training start, start).
   */
  static final String SIGNAL_TIMEOUT = "PT20M";

  private final Instance instance;
  private final CfnEIP address;

  public Ec2Service(Construct scope, String id, StackSettings settings, IBucket bucket) {
    super(scope, id);
    IVpc vpc = vpc(settings);

    SecurityGroup securityGroup =
        SecurityGroup.Builder.create(this, "SecurityGroup")
            .vpc(vpc)
            .description("image-search HTTP only; administration goes through SSM")
            .allowAllOutbound(true)
            .build();
    securityGroup.addIngressRule(
        Peer.ipv4(settings.ingressCidr()),
        Port.tcp(ServiceEnvironment.EC2_PORT),
        "image-search HTTP");

    Role role =
        Role.Builder.create(this, "Role")
            .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
            .description("image-search instance: SSM administration, read-only bucket prefixes")
            .managedPolicies(
                List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
            .build();
    BucketReadAccess.grant(bucket, role);

    InstanceType instanceType = new InstanceType(settings.instanceType());
    AmazonLinuxCpuType cpu =
        instanceType.getArchitecture() == InstanceArchitecture.ARM_64
            ? AmazonLinuxCpuType.ARM_64
            : AmazonLinuxCpuType.X86_64;

    this.instance =
        Instance.Builder.create(this, "Instance")
            .vpc(vpc)
            .vpcSubnets(SubnetSelection.builder().subnetType(SubnetType.PUBLIC).build())
            .associatePublicIpAddress(true)
            .instanceType(instanceType)
            .machineImage(
                MachineImage.latestAmazonLinux2023(
                    AmazonLinux2023ImageSsmParameterProps.builder().cpuType(cpu).build()))
            .securityGroup(securityGroup)
            .role(role)
            .requireImdsv2(true)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(
                            BlockDeviceVolume.ebs(
                                8,
                                EbsDeviceOptions.builder()
                                    .encrypted(true)
                                    .volumeType(EbsDeviceVolumeType.GP3)
                                    .build()))
                        .build()))
            .userData(
                ServiceUserData.create(
                    this,
                    settings,
                    ServiceEnvironment.forEc2(
                        bucket.getBucketName(), Stack.of(this).getRegion(), settings.service()),
                    role))
            // User data runs on first boot only: a new jar or unit replaces the instance.
            .userDataCausesReplacement(true)
            .build();

    // The deployment waits for the user data's signal: a failed install (or a service that never
    // answers /healthz) fails the stack instead of reporting CREATE_COMPLETE.
    CfnInstance cfn = (CfnInstance) instance.getNode().getDefaultChild();
    cfn.getCfnOptions()
        .setCreationPolicy(
            CfnCreationPolicy.builder()
                .resourceSignal(
                    CfnResourceSignal.builder().count(1).timeout(SIGNAL_TIMEOUT).build())
                .build());
    instance.getUserData().addSignalOnExitCommand(instance);

    // A stable address: the Elastic IP moves to the replacement when a new jar replaces the
    // instance, so the URL an operator shares keeps working.
    this.address =
        CfnEIP.Builder.create(this, "Address")
            .domain("vpc")
            .instanceId(instance.getInstanceId())
            .tags(List.of(CfnTag.builder().key("Name").value("image-search").build()))
            .build();
  }

  public Instance instance() {
    return instance;
  }

  /** The service's address, as a user types it: the Elastic IP, stable across replacements. */
  public String url() {
    return "http://" + address.getRef();
  }

  /** The Elastic IP (its {@code Ref} is the address). */
  public CfnEIP address() {
    return address;
  }

  private IVpc vpc(StackSettings settings) {
    if (settings.vpcId() != null) {
      return Vpc.fromLookup(
          this, "Vpc", VpcLookupOptions.builder().vpcId(settings.vpcId()).build());
    }
    // Public subnets only: the instance needs outbound HTTPS (S3, SSM, dnf) and nothing NAT-ed.
    return Vpc.Builder.create(this, "Vpc")
        .maxAzs(1)
        .natGateways(0)
        // Restricting the default security group needs a custom-resource Lambda; nothing is ever
        // placed in that group, so it is left as created.
        .restrictDefaultSecurityGroup(false)
        .subnetConfiguration(
            List.of(
                SubnetConfiguration.builder()
                    .name("public")
                    .subnetType(SubnetType.PUBLIC)
                    .cidrMask(24)
                    .build()))
        .build();
  }
}
