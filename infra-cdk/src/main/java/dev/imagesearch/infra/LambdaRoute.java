package dev.imagesearch.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.aws_apigatewayv2_integrations.HttpLambdaIntegration;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigatewayv2.HttpApi;
import software.amazon.awscdk.services.apigatewayv2.HttpStage;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogDestination;
import software.amazon.awscdk.services.apigatewayv2.IAccessLogSettings;
import software.amazon.awscdk.services.apigatewayv2.LogGroupLogDestination;
import software.amazon.awscdk.services.apigatewayv2.ThrottleSettings;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.constructs.Construct;

/**
 * The serverless route ({@code -c lambda=true}): the same handler as a Lambda function with
 * SnapStart on published versions, an alias {@code live} on the current version, and an HTTP API
 * whose {@code $default} route and stage send everything to that alias, throttled.
 *
 * <p>The alias matters: SnapStart snapshots exist only for published versions, so the API must call
 * a version (through the alias), never {@code $LATEST}.
 *
 * <pre>{@code
 * LambdaRoute route = new LambdaRoute(this, "Lambda", settings, bucket);
 * String url = route.url(); // https://abc123.execute-api.eu-west-1.amazonaws.com/
 * }</pre>
 */
public final class LambdaRoute extends Construct {
  public static final String HANDLER = "dev.imagesearch.web.SearchHandler::handleRequest";
  public static final String ALIAS = "live";

  /**
   * One JSON line per request with HTTP API {@code $context} variables (a REST API's {@code
   * resourcePath} or {@code identity.user} do not exist here): the request id the page shows,
   * client address, method, path, route, status, sizes, latencies and the integration's error.
   */
  static final String ACCESS_LOG_FORMAT =
      "{\"requestId\":\"$context.requestId\","
          + "\"ip\":\"$context.identity.sourceIp\","
          + "\"requestTime\":\"$context.requestTime\","
          + "\"method\":\"$context.httpMethod\","
          + "\"path\":\"$context.path\","
          + "\"routeKey\":\"$context.routeKey\","
          + "\"protocol\":\"$context.protocol\","
          + "\"status\":\"$context.status\","
          + "\"responseLength\":\"$context.responseLength\","
          + "\"responseLatency\":\"$context.responseLatency\","
          + "\"integrationLatency\":\"$context.integrationLatency\","
          + "\"integrationStatus\":\"$context.integrationStatus\","
          + "\"integrationError\":\"$context.integrationErrorMessage\","
          + "\"userAgent\":\"$context.identity.userAgent\"}";

  private final Function function;
  private final Alias alias;
  private final HttpStage stage;

  public LambdaRoute(Construct scope, String id, StackSettings settings, IBucket bucket) {
    super(scope, id);
    LogGroup functionLogs =
        LogGroup.Builder.create(this, "FunctionLogs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    this.function =
        Function.Builder.create(this, "Function")
            .runtime(ProjectLayout.lambdaRuntime(settings.javaRelease()))
            .architecture(settings.lambdaArm64() ? Architecture.ARM_64 : Architecture.X86_64)
            .handler(HANDLER)
            .code(
                Code.fromAsset(
                    LambdaZip.requireArchitecture(
                            ProjectLayout.requireBuilt(settings.lambdaZipPath(), "make package"),
                            settings.lambdaArm64())
                        .toString()))
            .memorySize(settings.lambdaMemoryMb())
            .timeout(Duration.seconds(30))
            .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
            .environment(ServiceEnvironment.forLambda(bucket.getBucketName(), settings.service()))
            .logGroup(functionLogs)
            // The request log lines (one JSON object per request) arrive in CloudWatch inside the
            // function's JSON log format, with level, timestamp and the Lambda request id.
            .loggingFormat(LoggingFormat.JSON)
            .description("image-search: CLIP text-to-image search")
            .build();
    BucketReadAccess.grant(bucket, function);
    this.alias =
        Alias.Builder.create(this, "Live")
            .aliasName(ALIAS)
            .version(function.getCurrentVersion())
            .build();

    HttpApi api =
        HttpApi.Builder.create(this, "Api")
            .description("image-search over the Lambda alias '" + ALIAS + "'")
            .defaultIntegration(new HttpLambdaIntegration("Search", alias))
            .createDefaultStage(false)
            .build();
    LogGroup accessLogs =
        LogGroup.Builder.create(this, "AccessLogs")
            .retention(RetentionDays.ONE_MONTH)
            .removalPolicy(RemovalPolicy.DESTROY)
            .build();
    this.stage =
        HttpStage.Builder.create(this, "DefaultStage")
            .httpApi(api)
            .stageName("$default")
            .autoDeploy(true)
            .throttle(
                ThrottleSettings.builder()
                    .rateLimit(settings.throttleRate())
                    .burstLimit(settings.throttleBurst())
                    .build())
            .accessLogSettings(
                new IAccessLogSettings() {
                  @Override
                  public IAccessLogDestination getDestination() {
                    return new LogGroupLogDestination(accessLogs);
                  }

                  @Override
                  public AccessLogFormat getFormat() {
                    return AccessLogFormat.custom(ACCESS_LOG_FORMAT);
                  }
                })
            .build();
  }

  public Function function() {
    return function;
  }

  public Alias alias() {
    return alias;
  }

  /** The API's public URL ({@code $default} stage, so no stage name in the path). */
  public String url() {
    return stage.getUrl();
  }
}
