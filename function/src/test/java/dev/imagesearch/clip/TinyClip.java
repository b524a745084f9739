package dev.imagesearch.clip;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Where the tiny test model and its Python reference files live (test resources). */
final class TinyClip {
  private TinyClip() {}

  /** The tiny model folder, in the {@code Xenova/clip-vit-base-patch32} layout. */
  static Path modelDir() {
    return resource("tiny-clip/config.json").getParent();
  }

  /** The reference files the Python tool wrote beside the model. */
  static Path referenceDir() {
    return resource("tiny-clip-reference/tokens.json").getParent();
  }

  static Path resource(String name) {
    URL url = TinyClip.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException("test resource " + name + " missing (make tiny-model)");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
