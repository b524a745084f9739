package dev.imagesearch.infra;

import static dev.imagesearch.infra.TestStacks.onlyResourceId;
import static dev.imagesearch.infra.TestStacks.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The deploy output ends with the runbook's next commands, bucket and address filled in. */
class NextStepsOutputTest {
  private static final String BUCKET = "${Ref:ImagesBucket4B6DB8E1}";

  private static Map<String, String> steps(Template template) {
    Map<String, String> steps = new LinkedHashMap<>();
    template
        .findOutputs("*")
        .forEach(
            (id, output) -> {
              if (id.startsWith("Step")) {
                steps.put(id, text(((Map<?, ?>) output).get("Value")));
              }
            });
    return steps;
  }

  @Test
  void defaultStackPrintsEveryNextCommand() {
    Template template = TestStacks.defaultTemplate();
    String eip = onlyResourceId(template, "AWS::EC2::EIP");
    String jar = "java -jar function/target/image-search.jar";
    assertEquals(
        Map.of(
            "Step1PushModel",
            "AWS_REGION=eu-west-1 "
                + jar
                + " model push --from work-data/model/clip-vit-base-patch32 --to s3://"
                + BUCKET
                + "/models/clip-vit-base-patch32/",
            "Step2UploadImages",
            "aws s3 sync ~/photos s3://" + BUCKET + "/images/",
            "Step3Index",
            "AWS_REGION=eu-west-1 "
                + jar
                + " index --images s3://"
                + BUCKET
                + "/images/ --index s3://"
                + BUCKET
                + "/ --model work-data/model/clip-vit-base-patch32",
            "Step4WaitReady",
            "curl -s http://${Ref:" + eip + "}/readyz",
            "Step5LambdaRoute",
            "make deploy CONTEXT=lambda=true"),
        steps(template));
  }

  @Test
  void withTheLambdaRouteThereIsNoStepToAddIt() {
    assertEquals(
        java.util.List.of("Step1PushModel", "Step2UploadImages", "Step3Index", "Step4WaitReady"),
        steps(TestStacks.customTemplate()).keySet().stream().sorted().toList());
  }
}
