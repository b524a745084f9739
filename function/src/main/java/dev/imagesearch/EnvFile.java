package dev.imagesearch;

import io.github.cdimascio.dotenv.Dotenv;
import io.github.cdimascio.dotenv.DotenvEntry;
import io.github.cdimascio.dotenv.DotenvException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .env} file in the working directory, read by {@code serve} and {@code index} (the seed
 * was configured this way): {@code NAME=value} lines, parsed by dotenv-java, under the real
 * environment, whose variables always win. The seed's names ({@code ENDPOINT_URL}, {@code
 * BUCKET_NAME}, {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}) and every {@code
 * IMAGE_SEARCH_*} setting work from it. The AWS SDK reads credentials and region from the real
 * environment or from system properties, so those from the file are handed over as {@code aws.*}
 * system properties; DJL's switches likewise. Values are never printed: messages name the file, the
 * line and the variable only.
 *
 * <pre>{@code
 * Map<String, String> env = EnvFile.environment(Path.of(".env"), System.getenv());
 * }</pre>
 */
public final class EnvFile {
  /** File names the SDK or DJL read from system properties (not from our map). */
  private static final Map<String, String> SYSTEM_PROPERTIES =
      Map.of(
          "AWS_ACCESS_KEY_ID", "aws.accessKeyId",
          "AWS_SECRET_ACCESS_KEY", "aws.secretAccessKey",
          "AWS_SESSION_TOKEN", "aws.sessionToken",
          "AWS_REGION", "aws.region",
          "AWS_PROFILE", "aws.profile",
          "DJL_CACHE_DIR", "DJL_CACHE_DIR",
          "DJL_OFFLINE", "ai.djl.offline");

  private EnvFile() {}

  /**
   * The real environment over the file's entries (an absent file adds nothing); also sets the
   * system properties the SDK and DJL read for names the real environment does not have.
   */
  public static Map<String, String> environment(Path file, Map<String, String> real) {
    Map<String, String> fromFile = read(file);
    Map<String, String> merged = new LinkedHashMap<>(fromFile);
    merged.putAll(real);
    fromFile.forEach(
        (name, value) -> {
          String property = SYSTEM_PROPERTIES.get(name);
          if (property != null && !real.containsKey(name) && System.getProperty(property) == null) {
            System.setProperty(property, value);
          }
        });
    return merged;
  }

  /** The file's own entries, in file order; empty when there is no file. */
  static Map<String, String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Map.of();
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      Map<String, String> entries = new LinkedHashMap<>();
      for (DotenvEntry entry :
          Dotenv.configure()
              .directory(dir.toString())
              .filename(file.getFileName().toString())
              .load()
              .entries(Dotenv.Filter.DECLARED_IN_ENV_FILE)) {
        entries.put(entry.getKey(), entry.getValue());
      }
      return entries;
    } catch (DotenvException e) {
      throw new ImageSearchException(malformed(file, e));
    }
  }

  /** Names the offending line by its number (its text may hold a secret, so it is not shown). */
  private static String malformed(Path file, DotenvException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = "Malformed entry ";
    if (message.startsWith(prefix)) {
      String bad = message.substring(prefix.length());
      try {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).equals(bad) || lines.get(i).strip().equals(bad.strip())) {
            return file
                + " line "
                + (i + 1)
                + " is not NAME=value (fix it, or comment it out with #)";
          }
        }
      } catch (IOException ignored) {
        // Fall through to the message without a line number.
      }
    }
    return file + " cannot be read as NAME=value lines: " + firstWord(message);
  }

  private static String firstWord(String message) {
    int space = message.indexOf(' ', "Malformed entry ".length() + 1);
    return space < 0 ? message : message.substring(0, space) + " ...";
  }
}
