package dev.imagesearch.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.Main;
import dev.imagesearch.synth.GalleryWriter;
import dev.imagesearch.synth.Scene;
import dev.imagesearch.synth.SceneQuery;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HitView;
import dev.imagesearch.web.SearchOutcome;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the indexer writes is what the service searches: a synthetic captioned gallery indexed by
 * the {@code index} command with the tiny model, then searched through {@link Bootstrap#webApp}.
 */
class IndexSearchTest {
  @TempDir Path tmp;

  @Test
  void captionQueriesFindMatchingImagesFirst() throws Exception {
    Path model = TestModel.dir();
    Path gallery = tmp.resolve("gallery");
    Path store = tmp.resolve("store");
    List<Scene> scenes = new GalleryWriter().write(11, 200, gallery, "jpg");
    int exit =
        Main.run(
            "index",
            "--images",
            gallery.toString(),
            "--index",
            store.toString(),
            "--model",
            model.toString(),
            "--batch",
            "8");
    assertEquals(0, exit);

    Bootstrap.Wired wired =
        Bootstrap.webApp(
            Map.of(
                "IMAGE_SEARCH_MODEL",
                model.toString(),
                "IMAGE_SEARCH_STORE",
                store.toString(),
                "IMAGE_SEARCH_INDEX_POLL",
                "0",
                "IMAGE_SEARCH_URL_KEY",
                "an-hmac-key-for-tests-only-0123456789"));
    try {
      wired.watcher().poll();
      int asked = 0;
      int colourRight = 0;
      int allRight = 0;
      for (SceneQuery query : SceneQuery.STANDARD) {
        if (scenes.stream().noneMatch(query::matches)) {
          continue; // this gallery has no answer to it
        }
        SearchOutcome outcome = wired.service().search(query.text(), 5, 0);
        assertEquals(200, outcome.total());
        HitView top = outcome.hits().get(0);
        assertTrue(top.thumbnailUrl().contains("thumbs/" + top.key() + ".jpg"), top.thumbnailUrl());
        Scene scene = scenes.get(Integer.parseInt(top.key().substring(4, 9)));
        boolean match = query.matches(scene);
        boolean colour = query.colour().map(c -> c == scene.colour()).orElse(true);
        System.out.printf(
            Locale.ROOT, "%-28s -> %s %s (%s)%n", query.text(), top.key(), match, scene.caption());
        asked++;
        colourRight += colour ? 1 : 0;
        allRight += match ? 1 : 0;
      }
      System.out.printf(
          Locale.ROOT, "top hit matches every attribute for %d of %d queries%n", allRight, asked);
      assertTrue(asked >= 10, "answerable queries: " + asked);
      // Colour is what even a rough tiny model gets right; a row/key mix-up in the index would
      // make this chance level (1 in 9 colours).
      assertTrue(
          colourRight * 4 >= asked * 3,
          colourRight + " of " + asked + " top hits have the query's colour");
    } finally {
      wired.watcher().close();
    }
  }
}
