package dev.imagesearch.infra;

import static dev.imagesearch.infra.TestStacks.onlyResource;
import static dev.imagesearch.infra.TestStacks.onlyResourceId;
import static dev.imagesearch.infra.TestStacks.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** The optional Lambda route ({@code lambda=true}): function, alias, HTTP API, stage, logs. */
class LambdaRouteTest {
  private final Template template = TestStacks.customTemplate();

  @Test
  void defaultStackHasNoLambdaRoute() {
    Template defaults = TestStacks.defaultTemplate();
    assertEquals(Map.of(), defaults.findResources("AWS::Lambda::Function"));
    assertEquals(Map.of(), defaults.findResources("AWS::ApiGatewayV2::Api"));
    assertEquals(Map.of(), defaults.findOutputs("ApiUrl"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionIsJava25Arm64WithSnapStartOnPublishedVersions() {
    Map<String, Object> function = onlyResource(template, "AWS::Lambda::Function");
    // java25 from the root POM's release: with SnapStart the JVM keeps tiered compilation up to
    // C2 (java21 stops at C1), so priming compiles the hot path fully.
    assertEquals("java" + TestStacks.layout().javaRelease(), function.get("Runtime"));
    assertEquals("java25", function.get("Runtime"));
    assertEquals(List.of("arm64"), function.get("Architectures"));
    assertEquals(Map.of("ApplyOn", "PublishedVersions"), function.get("SnapStart"));
    assertEquals("dev.imagesearch.web.SearchHandler::handleRequest", function.get("Handler"));
    assertEquals(3008, function.get("MemorySize"));
    assertEquals(30, function.get("Timeout"));
    assertEquals(
        "${Ref:" + logGroupId("FunctionLogs") + "}",
        text(((Map<String, Object>) function.get("LoggingConfig")).get("LogGroup")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionEnvironmentUsesTheServiceNames() {
    Map<String, Object> function = onlyResource(template, "AWS::Lambda::Function");
    Map<String, Object> variables =
        (Map<String, Object>) ((Map<String, Object>) function.get("Environment")).get("Variables");
    Map<String, String> readable = new LinkedHashMap<>();
    variables.forEach((name, value) -> readable.put(name, text(value)));
    String bucket = "${Ref:ImagesBucket4B6DB8E1}";
    assertEquals(
        Map.of(
            "BUCKET_NAME", bucket,
            "IMAGE_SEARCH_STORE", "s3://" + bucket + "/",
            "IMAGE_SEARCH_MODEL", "s3://" + bucket + "/models/clip-vit-base-patch32/",
            "IMAGE_SEARCH_URL_TTL", "PT15M",
            "IMAGE_SEARCH_INDEX_POLL", "PT60S",
            "DJL_CACHE_DIR", "/tmp/djl",
            "DJL_OFFLINE", "true",
            "IMAGE_SEARCH_MODEL_CACHE", "/tmp/image-search-models",
            "JAVA_TOOL_OPTIONS", "--add-modules=jdk.incubator.vector"),
        readable);
  }

  @Test
  void aliasLivePointsAtThePublishedVersion() {
    Map<String, Object> alias = onlyResource(template, "AWS::Lambda::Alias");
    String versionId = onlyResourceId(template, "AWS::Lambda::Version");
    assertEquals("live", alias.get("Name"));
    assertEquals("${" + versionId + ".Version}", text(alias.get("FunctionVersion")));
    assertEquals(
        "${Ref:" + onlyResourceId(template, "AWS::Lambda::Function") + "}",
        text(onlyResource(template, "AWS::Lambda::Version").get("FunctionName")));
  }

  @Test
  void httpApiSendsTheDefaultRouteToTheAlias() {
    Map<String, Object> api = onlyResource(template, "AWS::ApiGatewayV2::Api");
    assertEquals("HTTP", api.get("ProtocolType"));

    Map<String, Object> route = onlyResource(template, "AWS::ApiGatewayV2::Route");
    assertEquals("$default", route.get("RouteKey"));
    String integrationId = onlyResourceId(template, "AWS::ApiGatewayV2::Integration");
    assertEquals("integrations/${Ref:" + integrationId + "}", text(route.get("Target")));

    Map<String, Object> integration = onlyResource(template, "AWS::ApiGatewayV2::Integration");
    assertEquals("AWS_PROXY", integration.get("IntegrationType"));
    assertEquals("2.0", integration.get("PayloadFormatVersion"));
    assertEquals(
        "${Ref:" + onlyResourceId(template, "AWS::Lambda::Alias") + "}",
        text(integration.get("IntegrationUri")));

    // API Gateway may invoke the alias (and only the alias).
    Map<String, Object> permission = onlyResource(template, "AWS::Lambda::Permission");
    assertEquals("lambda:InvokeFunction", permission.get("Action"));
    assertEquals(
        "${Ref:" + onlyResourceId(template, "AWS::Lambda::Alias") + "}",
        text(permission.get("FunctionName")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void defaultStageIsThrottledAndLogged() throws Exception {
    Map<String, Object> stage = onlyResource(template, "AWS::ApiGatewayV2::Stage");
    assertEquals("$default", stage.get("StageName"));
    assertEquals(true, stage.get("AutoDeploy"));
    assertEquals(
        Map.of("ThrottlingRateLimit", 20, "ThrottlingBurstLimit", 40),
        stage.get("DefaultRouteSettings"));
    Map<String, Object> accessLogs = (Map<String, Object>) stage.get("AccessLogSettings");
    assertEquals("${" + logGroupId("AccessLogs") + ".Arn}", text(accessLogs.get("DestinationArn")));
    Map<String, String> format =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readValue(
                String.valueOf(accessLogs.get("Format")),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
    // HTTP API variables only (a REST API's $context.resourcePath is empty here).
    assertEquals(
        Map.ofEntries(
            Map.entry("requestId", "$context.requestId"),
            Map.entry("ip", "$context.identity.sourceIp"),
            Map.entry("requestTime", "$context.requestTime"),
            Map.entry("method", "$context.httpMethod"),
            Map.entry("path", "$context.path"),
            Map.entry("routeKey", "$context.routeKey"),
            Map.entry("protocol", "$context.protocol"),
            Map.entry("status", "$context.status"),
            Map.entry("responseLength", "$context.responseLength"),
            Map.entry("responseLatency", "$context.responseLatency"),
            Map.entry("integrationLatency", "$context.integrationLatency"),
            Map.entry("integrationStatus", "$context.integrationStatus"),
            Map.entry("integrationError", "$context.integrationErrorMessage"),
            Map.entry("userAgent", "$context.identity.userAgent")),
        format);
  }

  @Test
  @SuppressWarnings("unchecked")
  void functionLogsInTheJsonLogFormat() {
    Map<String, Object> function = onlyResource(template, "AWS::Lambda::Function");
    Map<String, Object> logging = (Map<String, Object>) function.get("LoggingConfig");
    assertEquals("JSON", logging.get("LogFormat"), String.valueOf(logging));
  }

  @Test
  void logsAreKeptForOneMonth() {
    Map<String, Map<String, Object>> logGroups = template.findResources("AWS::Logs::LogGroup");
    assertEquals(2, logGroups.size(), logGroups.keySet().toString());
    for (Map<String, Object> group : logGroups.values()) {
      assertEquals(Map.of("RetentionInDays", 30), group.get("Properties"));
    }
  }

  @Test
  void functionReadsTheSamePrefixesAsTheInstance() {
    Map<String, Map<String, Object>> policies = template.findResources("AWS::IAM::Policy");
    String functionRole =
        "${Ref:"
            + template.findResources("AWS::IAM::Role").keySet().stream()
                .filter(id -> id.startsWith("LambdaFunction"))
                .findFirst()
                .orElseThrow()
            + "}";
    Map<String, Object> policy =
        policies.values().stream()
            .map(p -> (Map<String, Object>) cast(p.get("Properties")))
            .filter(p -> text(((List<?>) p.get("Roles")).get(0)).equals(functionRole))
            .findFirst()
            .orElseThrow();
    List<Map<String, Object>> statements =
        cast(((Map<String, Object>) cast(policy.get("PolicyDocument"))).get("Statement"));
    assertEquals(
        List.of("ReadServicePrefixes", "ListServicePrefixes"),
        statements.stream().map(s -> s.get("Sid")).toList());
    assertEquals(
        Ec2ServiceTest.readable(statements.get(0)).get("Resource"),
        List.of(
            "${ImagesBucket4B6DB8E1.Arn}/images/*",
            "${ImagesBucket4B6DB8E1.Arn}/thumbs/*",
            "${ImagesBucket4B6DB8E1.Arn}/index/*",
            "${ImagesBucket4B6DB8E1.Arn}/models/*"));
  }

  @Test
  void outputsTheApiUrl() {
    String url = text(((Map<?, ?>) template.findOutputs("ApiUrl").get("ApiUrl")).get("Value"));
    assertEquals(
        "https://${Ref:"
            + onlyResourceId(template, "AWS::ApiGatewayV2::Api")
            + "}.execute-api.eu-west-1.${Ref:AWS::URLSuffix}/",
        url);
  }

  private String logGroupId(String prefix) {
    return template.findResources("AWS::Logs::LogGroup").keySet().stream()
        .filter(id -> id.startsWith("Lambda" + prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no log group Lambda" + prefix + "*"));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object value) {
    return (T) value;
  }
}
