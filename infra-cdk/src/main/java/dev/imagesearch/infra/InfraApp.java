package dev.imagesearch.infra;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app. The CDK CLI runs it through {@code cdk.json} ({@code make deploy}); {@code make
 * synth} runs it directly (no CLI needed), passing context as {@code key=value} arguments:
 *
 * <pre>
 * make synth CONTEXT="lambda=true instanceType=t3.micro"
 * </pre>
 *
 * Settings of the last {@code make deploy} are read from {@code deploy-settings.json} ({@link
 * SavedContext}), so a later plain deploy keeps them. The stack is environment-agnostic unless the
 * CLI (or {@code CDK_DEFAULT_ACCOUNT} / {@code CDK_DEFAULT_REGION}) supplies an account and region;
 * only {@code vpcId} needs them.
 */
public final class InfraApp {
  public static final String STACK_NAME = "ImageSearch";

  private InfraApp() {}

  public static void main(String[] args) {
    // Saved settings first; key=value arguments override them, and the CDK CLI's -c values
    // (CDK_CONTEXT_JSON) override both.
    Path saved = Path.of(SavedContext.FILE).toAbsolutePath();
    App app =
        new App(
            AppProps.builder()
                .context(SavedContext.merge(SavedContext.read(saved), contextFromArgs(args)))
                .build());
    StackSettings settings = StackSettings.fromContext(app.getNode(), ProjectLayout.find());
    if ("true".equals(System.getenv("IMAGE_SEARCH_SAVE_CONTEXT"))) {
      Map<String, String> kept = SavedContext.write(saved, app.getNode()::tryGetContext);
      System.err.println("deploy settings saved to " + saved + ": " + kept);
    }
    String account = System.getenv("CDK_DEFAULT_ACCOUNT");
    String region = System.getenv("CDK_DEFAULT_REGION");
    StackProps.Builder props =
        StackProps.builder()
            .description("image-search: CLIP text-to-image search (bucket, EC2, Lambda)");
    if (account != null && region != null) {
      props.env(Environment.builder().account(account).region(region).build());
    }
    new ImageSearchStack(app, STACK_NAME, props.build(), settings);
    app.synth();
  }

  /** {@code key=value} arguments; anything else is a mistake worth stopping for. */
  static Map<String, Object> contextFromArgs(String[] args) {
    Map<String, Object> context = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "expected context as key=value (e.g. lambda=true), got '" + arg + "'");
      }
      context.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return context;
  }
}
