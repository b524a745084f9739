package dev.imagesearch.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LruCacheTest {

  @Test
  void evictsTheLeastRecentlyUsed() {
    LruCache<String, Integer> cache = new LruCache<>(2);
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get("a"); // "b" is now the least recently used
    cache.put("c", 3); // evicts "b"

    assertNull(cache.get("b"));
    assertEquals(1, cache.get("a"));
    assertEquals(3, cache.get("c"));
    assertEquals(2, cache.size());
  }

  @Test
  void capacityZeroCachesNothing() {
    LruCache<String, Integer> cache = new LruCache<>(0);
    cache.put("a", 1);

    assertNull(cache.get("a"));
    assertEquals(0, cache.size());
  }

  @Test
  void concurrentUseKeepsTheBoundAndTheValues() throws Exception {
    LruCache<Integer, Integer> cache = new LruCache<>(50);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  Integer v = cache.get(i % 100);
                  if (v != null && v != (i % 100) * 2) {
                    throw new AssertionError("key " + (i % 100) + " holds " + v);
                  }
                  cache.put(i % 100, (i % 100) * 2);
                }
              }));
    }
    for (Future<?> f : done) f.get();
    pool.shutdown();

    assertEquals(50, cache.size());
  }
}
