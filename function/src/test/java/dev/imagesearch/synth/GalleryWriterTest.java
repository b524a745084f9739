package dev.imagesearch.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GalleryWriterTest {
  @TempDir Path dir;

  @Test
  void writesImagesAndOneCaptionLinePerImageInSceneOrder() throws IOException {
    List<Scene> scenes = new GalleryWriter().write(11, 4, dir, "png");

    List<String> lines = Files.readAllLines(dir.resolve("captions.jsonl"));
    assertEquals(4, lines.size());
    for (int i = 0; i < 4; i++) {
      Scene s = scenes.get(i);
      JsonNode line = new ObjectMapper().readTree(lines.get(i));
      assertEquals(
          String.format("img-%05d-%s.png", i, s.caption().replace(' ', '-')),
          line.get("file").asText());
      assertEquals(s.caption(), line.get("caption").asText());
      assertEquals(s.shape().singular(), line.get("shape").asText());
      assertEquals(s.colour().word(), line.get("colour").asText());
      assertEquals(s.count(), line.get("count").asInt());
      assertEquals(s.size().word(), line.get("size").asText());
      assertEquals(s.background().word(), line.get("background").asText());
      BufferedImage image = ImageIO.read(dir.resolve(line.get("file").asText()).toFile());
      assertEquals(s.width(), image.getWidth());
      assertEquals(s.height(), image.getHeight());
      // PNG is lossless: the file holds exactly the rendered pixels.
      assertEquals(new SceneGenerator().render(s).getRGB(3, 3), image.getRGB(3, 3));
    }
  }

  @Test
  void jpegFilesGetTheJpgExtension() throws IOException {
    List<Scene> scenes = new GalleryWriter().write(11, 2, dir, "jpg");
    // The caption is in the name: "img-00001-two-small-blue-triangles-on-a-white-background.jpg".
    String expected =
        "img-00001-" + scenes.get(1).caption().replace(' ', '-').toLowerCase(Locale.ROOT) + ".jpg";
    assertEquals(true, Files.exists(dir.resolve(expected)), expected);
  }
}
