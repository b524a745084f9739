package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A scan is split across the pool's threads only while no other scan is in flight. */
class ScanPoolTest {
  @Test
  void aScanIsSplitOnlyWhenItRunsAlone() {
    try (ScanPool pool = ScanPool.start(new ScanSettings(3, 100))) {
      assertEquals(3, pool.begin(3_000), "alone: all three threads");
      assertEquals(1, pool.begin(3_000), "a second scan while the first runs: caller's thread");
      pool.end();
      pool.end();
      assertEquals(3, pool.begin(3_000), "alone again once both ended");
      pool.end();
      assertEquals(1, pool.begin(150), "too few rows to split, alone or not");
      pool.end();
    }
  }

  @Test
  void withoutThreadsEveryScanHasOnePart() {
    assertEquals(1, ScanPool.CALLER_ONLY.begin(1_000_000));
    ScanPool.CALLER_ONLY.end();
  }

  @Test
  void overlappingSearchesRankExactlyAsOneAtATime() throws Exception {
    EmbeddingMatrix m = SearcherTest.randomMatrix(3_001, 24, 11);
    Searcher single = new Searcher(m, RelevanceThresholds.DEFAULTS, ScanPool.CALLER_ONLY);
    Random rnd = new Random(5);
    List<float[]> queries = new ArrayList<>();
    for (int i = 0; i < 64; i++) queries.add(SearcherTest.randomVector(24, rnd));
    ExecutorService clients = Executors.newFixedThreadPool(4);
    try (ScanPool pool = ScanPool.start(new ScanSettings(3, 100))) {
      Searcher shared = new Searcher(m, RelevanceThresholds.DEFAULTS, pool);
      List<Future<SearchResult>> answers = new ArrayList<>();
      for (float[] q : queries) answers.add(clients.submit(() -> shared.search(q, 10, 0)));
      for (int i = 0; i < queries.size(); i++) {
        SearchResult expected = single.search(queries.get(i), 10, 0);
        SearchResult actual = answers.get(i).get();
        assertEquals(expected.hits(), actual.hits(), "query " + i);
        assertEquals(expected.stats(), actual.stats(), "query " + i);
      }
      assertEquals(3, pool.begin(3_000), "every scan ended");
      pool.end();
    } finally {
      clients.shutdownNow();
    }
  }
}
