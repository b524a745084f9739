package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.synth.Description;
import dev.imagesearch.synth.SceneQuery;
import dev.imagesearch.synth.ShapeColour;
import dev.imagesearch.synth.ShapeKind;
import dev.imagesearch.synth.ShapeSize;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.QueryLanguage;
import dev.imagesearch.web.RelevanceStats;
import dev.imagesearch.web.SearchOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Honest relevance on the demo gallery with the tiny model and its calibration ({@code
 * tiny-clip/relevance.json}): compositional queries the gallery answers are called strong, nonsense
 * is not. Prints the table the thresholds were tuned with.
 */
class RelevanceVerdictTest {
  private static Bootstrap.Wired wired;

  @BeforeAll
  static void start() {
    wired = Bootstrap.webApp(DemoCollection.local().env());
    wired.watcher().poll();
  }

  @AfterAll
  static void stop() {
    wired.watcher().close();
  }

  private static SearchOutcome search(String q) {
    return wired.service().search(q, 10, 0);
  }

  /** Texts the gallery of coloured shapes cannot answer. */
  static final List<String> NONSENSE =
      List.of(
          "qwzx blorf",
          "zzzz qqqq",
          "xylophone quantum",
          "a photo of a dog",
          "the eiffel tower at night",
          "asdf",
          "lorem ipsum dolor",
          "a bowl of soup",
          "quantum chromodynamics",
          "hello world",
          "12345",
          "a cat sleeping on a sofa",
          "mountains",
          "!!!",
          "a car",
          "sunset beach",
          "zebra");

  /** {@link #NONSENSE} in French, one for one (gibberish and numbers stay as they are). */
  static final List<String> NONSENSE_FR =
      List.of(
          "qwzx blorf",
          "zzzz qqqq",
          "xylophone quantique",
          "une photo d'un chien",
          "la tour eiffel la nuit",
          "asdf",
          "lorem ipsum dolor",
          "un bol de soupe",
          "chromodynamique quantique",
          "bonjour le monde",
          "12345",
          "un chat qui dort sur un canapé",
          "montagnes",
          "!!!",
          "une voiture",
          "plage au coucher du soleil",
          "zèbre");

  private static SearchOutcome search(String q, String lang) {
    return wired.service().search(q, QueryLanguage.parse(lang), 10, 0);
  }

  /** French nonsense through the multilingual tower is never strong more often than English. */
  @Test
  void frenchNonsenseIsNotStrongMoreOftenThanEnglish() {
    assertEquals(NONSENSE.size(), NONSENSE_FR.size());
    List<String> english = new ArrayList<>();
    List<String> french = new ArrayList<>();
    for (int i = 0; i < NONSENSE.size(); i++) {
      SearchOutcome fr = search(NONSENSE_FR.get(i), "fr");
      assertEquals("multilingual", fr.tower());
      print(NONSENSE_FR.get(i), fr);
      if (fr.verdict().equals("strong")) {
        french.add(NONSENSE_FR.get(i));
      }
      if (search(NONSENSE.get(i), "en").verdict().equals("strong")) {
        english.add(NONSENSE.get(i));
      }
    }
    assertTrue(french.size() <= english.size(), "French strong " + french + ", English " + english);
  }

  /**
   * The 192 count-size-colour-shape descriptions in French (« deux petits cercles roses »): those
   * the gallery lacks are never strong more often than in English, those it holds are as strong.
   */
  @Test
  void frenchDescriptionsAreJudgedLikeTheirEnglishCounterparts() {
    int[] presentStrong = new int[2];
    int[] absentStrong = new int[2];
    int present = 0;
    int absent = 0;
    for (int count = 1; count <= 3; count++) {
      for (ShapeSize size : ShapeSize.values()) {
        for (ShapeColour colour : ShapeColour.values()) {
          for (ShapeKind shape : ShapeKind.values()) {
            Description d =
                new Description(
                    Optional.of(colour),
                    Optional.of(shape),
                    Optional.of(count),
                    Optional.of(size),
                    Optional.empty());
            SceneQuery query = SceneQuery.parse(d.english());
            boolean held =
                DemoCollection.local().sceneByKey().values().stream().anyMatch(query::matches);
            boolean en = search(d.english(), "en").verdict().equals("strong");
            boolean fr = search(d.french(), "fr").verdict().equals("strong");
            if (held) {
              present++;
              presentStrong[0] += en ? 1 : 0;
              presentStrong[1] += fr ? 1 : 0;
            } else {
              absent++;
              absentStrong[0] += en ? 1 : 0;
              absentStrong[1] += fr ? 1 : 0;
            }
          }
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "present %d: strong EN %d, FR %d; absent %d: strong EN %d, FR %d%n",
        present,
        presentStrong[0],
        presentStrong[1],
        absent,
        absentStrong[0],
        absentStrong[1]);
    assertTrue(absentStrong[1] <= absentStrong[0], "absent but strong in French");
    assertTrue(presentStrong[1] >= Math.ceil(present * 0.9), presentStrong[1] + " present strong");
  }

  /** The French standard queries are strong as often as the English ones must be. */
  @Test
  void frenchCompositionalQueriesAreStrong() {
    long strong =
        SceneQuery.STANDARD_FR.stream()
            .filter(q -> print(q.text(), search(q.text(), "fr")).equals("strong"))
            .count();
    int asked = SceneQuery.STANDARD_FR.size();
    assertTrue(strong >= Math.ceil(asked * 0.9), strong + " of " + asked + " strong");
  }

  @Test
  void nonsenseIsNotStrong() {
    List<String> strong = new ArrayList<>();
    for (String q : NONSENSE) {
      if (printed(q).equals("strong")) {
        strong.add(q);
      }
    }
    assertEquals(List.of(), strong, "nonsense called strong");
  }

  @Test
  void compositionalQueriesAreStrong() {
    int strong = 0;
    int asked = 0;
    for (SceneQuery query : SceneQuery.STANDARD) {
      asked++;
      strong += printed(query.text()).equals("strong") ? 1 : 0;
    }
    assertTrue(asked >= 20, "at least 20 compositional queries, got " + asked);
    // The bar: 18 of 20 (90 %).
    assertTrue(strong >= Math.ceil(asked * 0.9), strong + " of " + asked + " strong");
  }

  /**
   * Every count-size-colour-shape description ("two small pink circles"): those the gallery holds
   * are strong, those it lacks are not (the closest images are shown, but not as a strong match).
   */
  @Test
  void absentSubjectsAreNotStrong() {
    List<SceneQuery> present = new ArrayList<>();
    List<SceneQuery> absent = new ArrayList<>();
    for (String count : List.of("a", "two", "three")) {
      for (ShapeSize size : ShapeSize.values()) {
        for (ShapeColour colour : ShapeColour.values()) {
          for (ShapeKind shape : ShapeKind.values()) {
            String noun = count.equals("a") ? shape.singular() : shape.plural();
            String text = String.join(" ", count, size.word(), colour.word(), noun);
            SceneQuery query = SceneQuery.parse(text);
            boolean held =
                DemoCollection.local().sceneByKey().values().stream().anyMatch(query::matches);
            (held ? present : absent).add(query);
          }
        }
      }
    }
    long presentStrong =
        present.stream().filter(q -> search(q.text()).verdict().equals("strong")).count();
    List<String> absentStrong =
        absent.stream().map(SceneQuery::text).filter(q -> printed(q).equals("strong")).toList();
    System.out.printf(
        Locale.ROOT,
        "present in the gallery: %d of %d strong; absent: %d of %d strong %s%n",
        presentStrong,
        present.size(),
        absentStrong.size(),
        absent.size(),
        absentStrong);
    assertTrue(absent.size() >= 10, "the gallery lacks only " + absent.size() + " descriptions");
    assertTrue(presentStrong >= Math.ceil(present.size() * 0.9), presentStrong + " present strong");
    assertTrue(absentStrong.size() <= absent.size() / 10, "absent but strong: " + absentStrong);
  }

  private static String printed(String q) {
    return print(q, search(q));
  }

  private static String print(String q, SearchOutcome o) {
    RelevanceStats s = o.stats();
    System.out.printf(
        Locale.ROOT,
        "%-28s %-6s best cosine %.3f, z %.2f, margin %+.2f%n",
        q,
        o.verdict(),
        s.bestScore(),
        s.bestZ(),
        s.margin());
    return o.verdict();
  }

  @Test
  void queryAlgebraMovesTheRanking() {
    // "+ small" pulls small shapes up, "- small" pushes them down: count small shapes in the top
    // 10.
    long plus = smallInTop10("red circles + small");
    long minus = smallInTop10("red circles - small");
    System.out.printf(
        Locale.ROOT, "small shapes in top 10: '+ small' %d, '- small' %d%n", plus, minus);
    assertTrue(plus > minus, plus + " vs " + minus);
    assertTrue(
        Set.of("strong", "weak", "none").contains(search("2:red circle + 0.5:blue").verdict()));
  }

  private static long smallInTop10(String q) {
    return search(q).hits().stream()
        .filter(h -> DemoCollection.local().scene(h.key()).size() == ShapeSize.SMALL)
        .count();
  }
}
