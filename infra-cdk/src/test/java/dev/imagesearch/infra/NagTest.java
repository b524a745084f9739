package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;

/** cdk-nag's AWS Solutions checks run at synth; any finding not fixed or suppressed fails here. */
class NagTest {

  @Test
  void defaultStackHasNoUnsuppressedFinding() {
    assertNoFindings(TestStacks.defaults());
  }

  @Test
  void stackWithLambdaRouteHasNoUnsuppressedFinding() {
    assertNoFindings(TestStacks.custom());
  }

  @Test
  void anInsecureAdditionIsReported(@TempDir Path tmp) {
    // Proves the checks really run: a bucket without TLS enforcement is flagged by rule S10
    // (stack-wide suppressions cover S1 only, not S10).
    ImageSearchStack stack = TestStacks.stack(tmp, Map.of());
    Bucket.Builder.create(stack, "Careless").encryption(BucketEncryption.S3_MANAGED).build();

    List<String> errors =
        describe(
            Annotations.fromStack(stack)
                .findError("*", Match.stringLikeRegexp("AwsSolutions-S10.*")));

    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("/ImageSearch/Careless/Resource:"), errors.toString());
  }

  private static void assertNoFindings(ImageSearchStack stack) {
    Annotations annotations = Annotations.fromStack(stack);
    assertEquals(
        List.of(),
        describe(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*"))),
        "cdk-nag errors");
    assertEquals(
        List.of(),
        describe(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*"))),
        "cdk-nag warnings");
  }

  private static List<String> describe(List<SynthesisMessage> messages) {
    return messages.stream().map(m -> m.getId() + ": " + m.getEntry().getData()).toList();
  }
}
