package dev.imagesearch.clip;

import dev.imagesearch.ImageSearchException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The files of a model to download, each with its pinned sha256 (or none yet), and the repository
 * revision they come from. Read from a small text file:
 *
 * <pre>
 * revision d15189d7028b43f1d3e65039190477f6af591c2a
 * sha256 3f1c...e9 onnx/text_model_quantized.onnx 64978257
 * sha256 - tokenizer.json
 * </pre>
 *
 * The size in bytes after the path is optional; when given, a download of another size is refused
 * before its checksum is even computed.
 *
 * <pre>{@code
 * ModelPins pins = ModelPins.builtIn(); // the pins shipped for Xenova/clip-vit-base-patch32
 * }</pre>
 */
public record ModelPins(String revision, List<PinnedFile> files) {
  /** The pin list shipped in the jar. */
  public static final String BUILT_IN = "clip-vit-base-patch32.pins";

  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /**
   * One file to download.
   *
   * @param path relative path inside the repository and the model folder
   * @param sha256 lower-case hex checksum, empty when not pinned yet
   * @param size size in bytes, empty when not pinned
   */
  public record PinnedFile(String path, Optional<String> sha256, OptionalLong size) {
    public PinnedFile(String path, Optional<String> sha256) {
      this(path, sha256, OptionalLong.empty());
    }
  }

  public ModelPins {
    files = List.copyOf(files);
  }

  public static ModelPins builtIn() {
    try (InputStream in = ModelPins.class.getResourceAsStream(BUILT_IN)) {
      if (in == null) {
        throw new ImageSearchException("pin list " + BUILT_IN + " missing from the classpath");
      }
      return parse(in, BUILT_IN);
    } catch (IOException e) {
      throw new ImageSearchException("cannot read " + BUILT_IN + ": " + e.getMessage(), e);
    }
  }

  public static ModelPins read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, file.toString());
    } catch (IOException e) {
      throw new ImageSearchException("cannot read pin list " + file + ": " + e.getMessage(), e);
    }
  }

  static ModelPins parse(InputStream in, String source) throws IOException {
    String revision = null;
    List<PinnedFile> files = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      if (parts.length == 2 && parts[0].equals("revision")) {
        revision = parts[1];
      } else if ((parts.length == 3 || parts.length == 4) && parts[0].equals("sha256")) {
        String hash = parts[1].toLowerCase(Locale.ROOT);
        if (!hash.equals("-") && !SHA256.matcher(hash).matches()) {
          throw new ImageSearchException(
              source + " line " + number + ": not a sha256 (64 hex digits): " + parts[1]);
        }
        if (parts[2].contains("..") || parts[2].startsWith("/")) {
          throw new ImageSearchException(
              source + " line " + number + ": path must stay inside the model folder");
        }
        files.add(
            new PinnedFile(
                parts[2],
                hash.equals("-") ? Optional.empty() : Optional.of(hash),
                parts.length == 4 ? size(parts[3], source, number) : OptionalLong.empty()));
      } else {
        throw new ImageSearchException(
            source + " line " + number + ": expected 'revision <id>' or 'sha256 <hash|-> <path>'");
      }
    }
    if (revision == null || files.isEmpty()) {
      throw new ImageSearchException(source + " needs a revision line and at least one file");
    }
    return new ModelPins(revision, files);
  }

  private static OptionalLong size(String text, String source, int number) {
    if (text.equals("-")) {
      return OptionalLong.empty();
    }
    try {
      long bytes = Long.parseLong(text);
      if (bytes > 0) {
        return OptionalLong.of(bytes);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ImageSearchException(source + " line " + number + ": not a size in bytes: " + text);
  }
}
