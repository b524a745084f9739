package dev.imagesearch.search;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small thread-safe least-recently-used cache with hit and miss counters, for query embeddings (a
 * repeated query skips the text encoder). Values are shared, not copied: callers must not modify
 * them. A capacity of 0 disables caching.
 *
 * <pre>{@code
 * LruCache<String, float[]> cache = new LruCache<>(1024);
 * float[] q = cache.computeIfAbsent("three red circles", embedder::embedText);
 * }</pre>
 */
public final class LruCache<K, V> {
  private final int capacity;
  private final LinkedHashMap<K, V> map;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  public LruCache(int capacity) {
    if (capacity < 0) throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
    this.capacity = capacity;
    this.map =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > LruCache.this.capacity;
          }
        };
  }

  /** The cached value, or null; counts a hit or a miss. */
  public V get(K key) {
    V value;
    synchronized (map) {
      value = map.get(key);
    }
    (value == null ? misses : hits).incrementAndGet();
    return value;
  }

  public void put(K key, V value) {
    if (capacity == 0) return;
    synchronized (map) {
      map.put(key, value);
    }
  }

  /**
   * The cached value, or {@code compute(key)} cached and returned. The computation runs outside the
   * lock, so a slow one does not block other keys; two threads missing the same key at once may
   * both compute it (the last result stays).
   */
  public V computeIfAbsent(K key, Function<? super K, ? extends V> compute) {
    V value = get(key);
    if (value != null) return value;
    value = compute.apply(key);
    if (value != null) put(key, value);
    return value;
  }

  public int size() {
    synchronized (map) {
      return map.size();
    }
  }

  public int capacity() {
    return capacity;
  }

  public long hits() {
    return hits.get();
  }

  public long misses() {
    return misses.get();
  }
}
