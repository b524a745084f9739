package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.search.Calibration;
import dev.imagesearch.store.LoadedIndex;
import dev.imagesearch.synth.Description;
import dev.imagesearch.synth.SceneQuery;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.QueryLanguage;
import dev.imagesearch.web.SearchOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Honest relevance in French on the demo gallery: the multilingual tower has its own calibration
 * (its own unrelated texts, made from its own tokenizer, measured at publish time), and French
 * queries are judged no more generously than their English counterparts: nonsense and the
 * descriptions the gallery lacks are never strong more often in French than in English.
 */
class FrenchRelevanceTest {
  private static Bootstrap.Wired wired;

  /** A sample of {@link RelevanceConfusion#NONSENSE} in French, one for one. */
  static final List<String[]> NONSENSE_EN_FR =
      List.of(
          new String[] {"xylophone quantum", "xylophone quantique"},
          new String[] {"a photo of a dog", "une photo d'un chien"},
          new String[] {"the eiffel tower at night", "la tour eiffel la nuit"},
          new String[] {"a bowl of soup", "un bol de soupe"},
          new String[] {"quantum chromodynamics", "chromodynamique quantique"},
          new String[] {"hello world", "bonjour le monde"},
          new String[] {"a cat sleeping on a sofa", "un chat qui dort sur un canapé"},
          new String[] {"mountains", "montagnes"},
          new String[] {"a car", "une voiture"},
          new String[] {"sunset beach", "plage au coucher du soleil"},
          new String[] {"zebra", "zèbre"},
          new String[] {"income tax return", "déclaration d'impôts"},
          new String[] {"democracy and freedom", "démocratie et liberté"},
          new String[] {"piano keyboard music", "musique au clavier de piano"},
          new String[] {"ocean waves crashing", "les vagues de l'océan"},
          new String[] {"the quick brown fox", "le rapide renard brun"},
          new String[] {"a spreadsheet of numbers", "un tableur plein de chiffres"},
          new String[] {"elephant umbrella sandwich", "éléphant parapluie sandwich"},
          new String[] {"qwzx blorf", "qwzx blorf"},
          new String[] {"12345", "12345"});

  @BeforeAll
  static void start() {
    wired = Bootstrap.webApp(DemoCollection.local().env());
    wired.watcher().poll();
  }

  @AfterAll
  static void stop() {
    wired.watcher().close();
  }

  private static SearchOutcome search(String q, String lang) {
    return wired.service().search(q, QueryLanguage.parse(lang), 10, 0);
  }

  @Test
  void theIndexCarriesANullForEachTextTower() {
    LoadedIndex live = wired.watcher().current().orElseThrow();
    Calibration c = live.calibration().orElseThrow();
    String english = live.manifest().modelId();
    assertEquals(java.util.Set.of(english, english + "+multilingual"), c.texts().keySet());
    System.out.println(
        "multilingual text null: "
            + RelevanceConfusion.describe(c.text(english + "+multilingual").orElseThrow()));
  }

  @Test
  void frenchIsNeverStrongMoreOftenThanEnglish() {
    List<String> nonsenseEn = new ArrayList<>();
    List<String> nonsenseFr = new ArrayList<>();
    for (String[] pair : NONSENSE_EN_FR) {
      if (search(pair[0], "en").verdict().equals("strong")) nonsenseEn.add(pair[0]);
      SearchOutcome fr = search(pair[1], "fr");
      assertEquals("multilingual", fr.tower());
      if (fr.verdict().equals("strong")) nonsenseFr.add(pair[1]);
    }
    int present = 0;
    int[] presentStrong = new int[2];
    List<String> absentEn = new ArrayList<>();
    List<String> absentFr = new ArrayList<>();
    for (String english : RelevanceConfusion.descriptions()) {
      SceneQuery query = SceneQuery.parse(english);
      String french = Description.of(query).french();
      boolean held = DemoCollection.local().sceneByKey().values().stream().anyMatch(query::matches);
      boolean en = search(english, "en").verdict().equals("strong");
      boolean fr = search(french, "fr").verdict().equals("strong");
      if (held) {
        present++;
        presentStrong[0] += en ? 1 : 0;
        presentStrong[1] += fr ? 1 : 0;
      } else {
        if (en) absentEn.add(english);
        if (fr) absentFr.add(french);
      }
    }
    int held = present;
    System.out.printf(
        Locale.ROOT,
        "nonsense strong: EN %s, FR %s%npresent %d strong: EN %d, FR %d; absent strong: EN %s,"
            + " FR %s%n",
        nonsenseEn,
        nonsenseFr,
        present,
        presentStrong[0],
        presentStrong[1],
        absentEn,
        absentFr);
    assertAll(
        () -> assertTrue(nonsenseFr.size() <= nonsenseEn.size(), "French nonsense strong"),
        () -> assertTrue(absentFr.size() <= absentEn.size(), "French absent strong"),
        () ->
            assertTrue(
                presentStrong[1] >= Math.ceil(0.9 * held), presentStrong[1] + " of " + held));
  }

  @Test
  void frenchStandardQueriesAreStrong() {
    List<String> notStrong = new ArrayList<>();
    for (SceneQuery q : SceneQuery.STANDARD_FR) {
      SearchOutcome o = search(q.text(), "fr");
      System.out.printf(
          Locale.ROOT,
          "%-28s %-6s best cosine %.3f (above %5.1f %% of unrelated)%n",
          q.text(),
          o.verdict(),
          o.stats().bestScore(),
          o.stats().standing());
      if (!o.verdict().equals("strong")) notStrong.add(q.text());
    }
    assertTrue(
        notStrong.size() <= Math.floor(0.05 * SceneQuery.STANDARD_FR.size()),
        "not strong: " + notStrong);
  }
}
