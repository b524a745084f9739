package dev.imagesearch.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.List;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;

/**
 * Runs cdk-nag's AWS Solutions checks on the stack at synth time, and records every accepted
 * finding with the reason it is accepted. A finding that is neither fixed nor listed here fails the
 * infra tests ({@code NagTest}).
 *
 * <pre>{@code
 * NagRules.apply(stack);
 * }</pre>
 */
public final class NagRules {
  private NagRules() {}

  public static void apply(Stack stack) {
    Aspects.of(stack).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
    NagSuppressions.addStackSuppressions(
        stack,
        List.of(
            suppress(
                "AwsSolutions-S1",
                "Server access logs need a second bucket and are not needed to serve search:"
                    + " nothing in the bucket is public and every read is a signed, short-lived"
                    + " URL or the service's own role. Enable CloudTrail data events to audit."),
            suppress(
                "AwsSolutions-VPC7",
                "The VPC holds one instance serving public HTTP; flow logs would only record"
                    + " that traffic and cost more than the instance. Add them when auditing."),
            suppress(
                "AwsSolutions-EC23",
                "The search page is public by design: only port 80 is open, to the CIDR given"
                    + " by the ingressCidr context (default 0.0.0.0/0)."),
            suppress(
                "AwsSolutions-EC28",
                "Basic (5-minute) monitoring is enough for one small instance; detailed"
                    + " monitoring costs extra."),
            suppress(
                "AwsSolutions-EC29",
                "A single stateless instance: all data is in S3 and a replacement reinstalls"
                    + " itself from user data, so termination protection and an ASG add nothing."),
            suppressFor(
                "AwsSolutions-IAM4",
                "AmazonSSMManagedInstanceCore is the AWS-maintained minimum for Session Manager"
                    + " (the only way in: no SSH); AWSLambdaBasicExecutionRole only writes the"
                    + " function's own logs.",
                List.of(
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore",
                    "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")),
            suppressFor(
                "AwsSolutions-IAM5",
                "Read-only s3:GetObject on the four prefixes the service reads (images/,"
                    + " thumbs/, index/, models/): keys under them are not known at deploy time.",
                List.of(
                    RegexAppliesTo.builder()
                        .regex(
                            "/^Resource::<[A-Za-z0-9]+\\.Arn>\\/(images|thumbs|index|models)\\/\\*$/")
                        .build())),
            suppress(
                "AwsSolutions-L1",
                "The Lambda runtime is derived from java.release in the root pom.xml so the"
                    + " code and the runtime always match; it moves when the POM moves."),
            suppress(
                "AwsSolutions-APIG4",
                "Public read-only search page, like the EC2 route; abuse is bounded by the"
                    + " stage's throttling. Put an authorizer in front for private collections.")));
  }

  private static NagPackSuppression suppress(String id, String reason) {
    return NagPackSuppression.builder().id(id).reason(reason).build();
  }

  private static NagPackSuppression suppressFor(String id, String reason, List<?> appliesTo) {
    return NagPackSuppression.builder().id(id).reason(reason).appliesTo(appliesTo).build();
  }
}
