package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real photos from {@code ../shared/data/photos/skimage} (scikit-image's samples: RGBA, grayscale
 * and 16-bit PNGs, JPEGs): every file is indexed or listed with a reason, with a thumbnail each.
 */
class SharedPhotosTest {
  @TempDir Path tmp;

  @Test
  void everySkimageSampleIsIndexedOrSkippedWithAReason() throws Exception {
    Path photos = TestModel.root().resolve("../shared/data/photos/skimage").normalize();
    assumeTrue(Files.isDirectory(photos), "shared data absent: " + photos + " (test skipped)");
    List<String> files;
    try (Stream<Path> list = Files.list(photos)) {
      files =
          list.map(p -> p.getFileName().toString())
              .filter(ImageSource::looksLikeImage)
              .sorted()
              .toList();
    }
    Path store = tmp.resolve("store");
    IndexSummary summary = Runs.run(photos, store);
    assertEquals(files.size(), summary.listed());
    assertEquals(files.size(), summary.indexed() + summary.skipped());

    List<String> accounted = new ArrayList<>();
    for (JsonNode row : IndexerTest.jsonLines(IndexerTest.currentFile(store, "metadata.jsonl"))) {
      String key = row.get("key").asText();
      accounted.add(key);
      BufferedImage thumb = ImageIO.read(store.resolve("thumbs/" + key + ".jpg").toFile());
      assertTrue(Math.max(thumb.getWidth(), thumb.getHeight()) <= 320, key);
      // The thumbnail keeps the original's aspect ratio (within rounding).
      double aspect = row.get("width").asDouble() / row.get("height").asDouble();
      assertEquals(aspect, (double) thumb.getWidth() / thumb.getHeight(), 0.02, key);
    }
    for (JsonNode skip : IndexerTest.jsonLines(IndexerTest.currentFile(store, "skipped.jsonl"))) {
      assertTrue(!skip.get("reason").asText().isBlank(), skip.toString());
      accounted.add(skip.get("key").asText());
    }
    assertEquals(files, accounted.stream().sorted().toList());
  }
}
