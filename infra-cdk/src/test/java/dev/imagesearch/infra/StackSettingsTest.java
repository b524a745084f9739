package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;

/** Context parsing: defaults, the CLI's string values, and clear messages for bad values. */
class StackSettingsTest {
  private static final ProjectLayout LAYOUT = new ProjectLayout(Path.of("/repo"), 21);

  private static StackSettings settings(Map<String, Object> context) {
    App app = new App(AppProps.builder().context(context).build());
    return StackSettings.fromContext(app.getNode(), LAYOUT);
  }

  @Test
  void defaults() {
    StackSettings settings = settings(Map.of());
    assertEquals("t4g.micro", settings.instanceType());
    assertEquals("0.0.0.0/0", settings.ingressCidr());
    assertFalse(settings.lambda());
    assertTrue(settings.lambdaArm64());
    assertEquals(2048, settings.lambdaMemoryMb());
    assertFalse(settings.destroyOnRemoval());
    assertEquals(Path.of("/repo/function/target/image-search.jar"), settings.jarPath());
    assertEquals(
        Path.of("/repo/function/target/image-search-lambda.zip"), settings.lambdaZipPath());
    assertEquals(Path.of("/repo/ec2"), settings.ec2Dir());
    assertEquals(
        new ServiceEnvironment.Values("clip-vit-base-patch32", null, "PT15M", "PT60S"),
        settings.service());
  }

  @Test
  void cliStringsAndTypedValuesBothWork() {
    StackSettings settings =
        settings(Map.of("lambda", "true", "lambdaArch", "x86_64", "lambdaMemory", 1769));
    assertTrue(settings.lambda());
    assertFalse(settings.lambdaArm64());
    assertEquals(1769, settings.lambdaMemoryMb());
  }

  @Test
  void badValuesNameTheContextKey() {
    assertEquals(
        "context lambdaArch must be arm64 or x86_64, got 'aarch64'",
        assertThrows(
                IllegalArgumentException.class, () -> settings(Map.of("lambdaArch", "aarch64")))
            .getMessage());
    assertEquals(
        "context lambda must be true or false, got 'yes'",
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("lambda", "yes")))
            .getMessage());
    assertEquals(
        "context lambdaMemory must be a whole number, got '2GB'",
        assertThrows(IllegalArgumentException.class, () -> settings(Map.of("lambdaMemory", "2GB")))
            .getMessage());
    assertEquals(
        "context ingressCidr must be an IPv4 CIDR such as 203.0.113.0/24, got '10.0.0.1'",
        assertThrows(
                IllegalArgumentException.class, () -> settings(Map.of("ingressCidr", "10.0.0.1")))
            .getMessage());
  }

  @Test
  void appArgumentsBecomeContext() {
    assertEquals(
        Map.of("lambda", "true", "instanceType", "t3.micro"),
        InfraApp.contextFromArgs(new String[] {"lambda=true", "instanceType=t3.micro"}));
    assertEquals(
        "expected context as key=value (e.g. lambda=true), got '-c'",
        assertThrows(
                IllegalArgumentException.class, () -> InfraApp.contextFromArgs(new String[] {"-c"}))
            .getMessage());
  }
}
