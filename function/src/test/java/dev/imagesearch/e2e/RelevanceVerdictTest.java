package dev.imagesearch.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.imagesearch.synth.SceneQuery;
import dev.imagesearch.synth.ShapeSize;
import dev.imagesearch.web.Bootstrap;
import dev.imagesearch.web.HitView;
import dev.imagesearch.web.RelevanceStats;
import dev.imagesearch.web.SearchOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Honest relevance on the demo gallery (300 scenes, indexed by the real index command, which
 * measures the calibration at publish time) with the tiny model and no {@code relevance.json}: the
 * verdict comes from the index version's {@code calibration.json} alone. Prints the confusion table
 * and each standard query's numbers.
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

  @Test
  void theIndexCarriesItsCalibration() {
    String relevance = wired.service().readiness().relevance();
    assertNotNull(relevance);
    assertTrue(relevance.startsWith("calibrated"), relevance);
    dev.imagesearch.store.LoadedIndex live = wired.watcher().current().orElseThrow();
    dev.imagesearch.search.Calibration c = live.calibration().orElseThrow();
    System.out.println(
        "demo text null: "
            + RelevanceConfusion.describe(c.text(live.manifest().modelId()).orElseThrow()));
    System.out.println("demo image null: " + RelevanceConfusion.describe(c.images()));
  }

  @Test
  void descriptionsHeldAreStrongThoseLackedAndNonsenseAreNot() {
    RelevanceConfusion.measure(
            new ArrayList<>(DemoCollection.local().sceneByKey().values()), q -> search(q).verdict())
        .assertAcceptance("demo gallery (300 scenes, seed 7), tiny model, calibrated");
  }

  @Test
  void standardQueriesAreStrongAndSayWhy() {
    int strong = 0;
    for (SceneQuery query : SceneQuery.STANDARD) {
      strong += printed(query.text()).equals("strong") ? 1 : 0;
    }
    assertTrue(strong >= Math.ceil(SceneQuery.STANDARD.size() * 0.95), strong + " strong");
    RelevanceStats s = search("a red circle").stats();
    assertEquals("calibrated", s.basis());
    assertTrue(s.standing() >= 98, "standing " + s.standing());
    assertTrue(s.summary().contains("unrelated quer"), s.summary());
  }

  /** A hit's relevance is its standing against unrelated queries' best: a percentage. */
  @Test
  void hitRelevanceIsAPercentageThatFallsWithRank() {
    List<HitView> hits = wired.service().search("a red circle", 50, 0).hits();
    assertTrue(hits.get(0).relevance() >= 98, "best hit " + hits.get(0).relevance());
    assertTrue(hits.get(49).relevance() < hits.get(0).relevance());
    for (HitView h : hits) {
      assertTrue(h.relevance() >= 0 && h.relevance() <= 100, h.key() + " " + h.relevance());
    }
  }

  private static String printed(String q) {
    SearchOutcome o = search(q);
    RelevanceStats s = o.stats();
    System.out.printf(
        Locale.ROOT,
        "%-28s %-6s best cosine %.3f (above %5.1f %% of unrelated), spread above %5.1f %%%n",
        q,
        o.verdict(),
        s.bestScore(),
        s.standing(),
        s.spreadStanding());
    return o.verdict();
  }

  /**
   * Every query form is judged against the calibration: algebra, weights, "more like this". A
   * subtraction moves the query away from every text the tower makes, so its best cosine drops and
   * it is judged more cautiously than the plain description (printed, not asserted).
   */
  @Test
  void everyQueryFormGetsACalibratedVerdict() {
    for (String q : List.of("red circles + small", "2:red circle + 0.5:large")) {
      assertEquals("strong", printed(q), q);
      assertEquals("calibrated", search(q).stats().basis(), q);
    }
    printed("red circles - small");
    assertEquals("calibrated", search("red circles - small").stats().basis());
    assertEquals("none", printed("qwzx blorf + asdf"));
    String key = search("two small red triangles").hits().get(0).key();
    SearchOutcome alike = wired.service().similar(key, 10, 0);
    System.out.println("more like " + key + ": " + alike.verdict() + " " + alike.stats());
    assertEquals("calibrated", alike.stats().basis());
    assertEquals("strong", alike.verdict(), "more like " + key + ": " + alike.stats());
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
  }

  private static long smallInTop10(String q) {
    return search(q).hits().stream()
        .filter(h -> DemoCollection.local().scene(h.key()).size() == ShapeSize.SMALL)
        .count();
  }
}
