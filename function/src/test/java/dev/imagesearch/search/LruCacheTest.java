package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LruCacheTest {

  @Test
  void evictsTheLeastRecentlyUsedAndCountsHitsAndMisses() {
    LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a"); // hit: "b" is now the least recently used
    cache.put("c", 3); // evicts "b"

    assertNull(cache.get("b")); // miss
    assertEquals(1, cache.get("a"));
    assertEquals(3, cache.get("c"));
    assertEquals(2, cache.size());
    assertEquals(3, cache.hits());
    assertEquals(1, cache.misses());
  }

  @Test
  void computeIfAbsentComputesOncePerKey() {
    LruCache<String, Integer> cache = new LruCache<>(10);
    AtomicInteger calls = new AtomicInteger();

    cache.computeIfAbsent("x", k -> calls.incrementAndGet());
    int second = cache.computeIfAbsent("x", k -> calls.incrementAndGet());

    assertEquals(1, second);
    assertEquals(1, calls.get());
    assertEquals(1, cache.hits());
    assertEquals(1, cache.misses());
  }

  @Test
  void capacityZeroCachesNothing() {
    LruCache<String, Integer> cache = new LruCache<>(0);
    cache.put("a", 1);

    assertNull(cache.get("a"));
    assertEquals(0, cache.size());
  }

  @Test
  void concurrentUseKeepsTheBoundAndTheCounts() throws Exception {
    LruCache<Integer, Integer> cache = new LruCache<>(50);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 10_000; i++) cache.computeIfAbsent(i % 100, k -> k * 2);
              }));
    }
    for (Future<?> f : done) f.get();
    pool.shutdown();

    assertEquals(50, cache.size());
    assertEquals(40_000, cache.hits() + cache.misses());
  }
}
