package dev.imagesearch.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every description the scene grammar can word (each subset of colour, shape, count, size and
 * background that names at least one of the first four), in English and French: the parallel corpus
 * the multilingual student text tower is distilled on ({@code
 * function/tools/tinyclip/train_multilingual.py}). One grammar, in Java, so the captions the
 * gallery carries and the texts the student learns cannot drift apart.
 *
 * <p>Command line: {@code java -cp ... dev.imagesearch.synth.CaptionPairs OUT.jsonl}, one {@code
 * {"en": ..., "fr": ...}} object per line.
 */
public final class CaptionPairs {
  private CaptionPairs() {}

  /** Every description, in a fixed order. */
  public static List<Description> all() {
    List<Description> out = new ArrayList<>();
    for (Optional<ShapeColour> colour : options(ShapeColour.values())) {
      for (Optional<ShapeKind> shape : options(ShapeKind.values())) {
        for (Optional<Integer> count : options(new Integer[] {1, 2, 3})) {
          for (Optional<ShapeSize> size : options(ShapeSize.values())) {
            for (Optional<Background> background : options(Background.values())) {
              if (colour.isPresent()
                  || shape.isPresent()
                  || count.isPresent()
                  || size.isPresent()) {
                out.add(new Description(colour, shape, count, size, background));
              }
            }
          }
        }
      }
    }
    return out;
  }

  private static <T> List<Optional<T>> options(T[] values) {
    List<Optional<T>> out = new ArrayList<>(values.length + 1);
    out.add(Optional.empty());
    for (T v : values) {
      out.add(Optional.of(v));
    }
    return out;
  }

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: CaptionPairs OUT.jsonl");
      System.exit(2);
    }
    ObjectMapper json = new ObjectMapper();
    List<Description> all = all();
    try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[0]), StandardCharsets.UTF_8)) {
      for (Description d : all) {
        Map<String, String> line = new LinkedHashMap<>();
        line.put("en", d.english());
        line.put("fr", d.french());
        w.write(json.writeValueAsString(line));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("wrote " + all.size() + " English/French descriptions to " + args[0]);
  }
}
