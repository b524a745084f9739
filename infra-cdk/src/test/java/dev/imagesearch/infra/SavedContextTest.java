package dev.imagesearch.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * {@code make deploy CONTEXT=lambda=true} once, then a plain {@code make deploy} to ship a new jar:
 * the second deployment must still have the function and its API.
 */
class SavedContextTest {
  @TempDir Path tmp;

  @Test
  void aPlainDeployAfterALambdaDeployKeepsTheRoute() throws Exception {
    Path file = tmp.resolve(SavedContext.FILE);
    // The first deployment, with lambda=true given, saves what was in effect.
    Map<String, Object> first =
        SavedContext.merge(SavedContext.read(file), Map.of("lambda", "true"));
    Map<String, String> saved = SavedContext.write(file, first::get);
    assertEquals(Map.of("lambda", "true"), saved);
    assertEquals("{\n  \"lambda\" : \"true\"\n}\n", Files.readString(file));

    // The second, with no context at all, starts from the file.
    Map<String, Object> second = SavedContext.merge(SavedContext.read(file), Map.of());
    Template template = TestStacks.template(tmp, second);
    assertEquals(1, template.findResources("AWS::Lambda::Function").size());
    assertEquals(1, template.findResources("AWS::ApiGatewayV2::Api").size());
  }

  @Test
  void givenContextWinsAndArtifactPathsAreNotSaved() {
    Path file = tmp.resolve(SavedContext.FILE);
    SavedContext.write(
        file, Map.<String, Object>of("lambda", "true", "instanceType", "t3.micro")::get);
    Map<String, Object> merged =
        SavedContext.merge(
            SavedContext.read(file), Map.of("lambda", "false", "jarPath", "/tmp/other.jar"));
    assertEquals(
        Map.of("lambda", "false", "instanceType", "t3.micro"),
        SavedContext.write(file, merged::get));
  }

  @Test
  void aBrokenFileIsNamedWithWhatToDo() throws Exception {
    Path file = Files.writeString(tmp.resolve(SavedContext.FILE), "lambda=true\n");
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> SavedContext.read(file));
    assertEquals(
        true,
        e.getMessage().startsWith(file + " is not a JSON object of settings (fix or delete it): "),
        e.getMessage());
  }
}
