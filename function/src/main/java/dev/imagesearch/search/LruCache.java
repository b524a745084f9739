package dev.imagesearch.search;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small thread-safe least-recently-used cache, for query embeddings (a repeated query skips the
 * text encoder). Values are shared, not copied: callers must not modify them. A capacity of 0
 * disables caching.
 *
 * <pre>{@code
 * LruCache<String, float[]> cache = new LruCache<>(1024);
 * float[] q = cache.get("three red circles"); // null when absent
 * cache.put("three red circles", embedding);
 * }</pre>
 */
public final class LruCache<K, V> {
  private final int capacity;
  private final LinkedHashMap<K, V> map;

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

  /** The cached value (now the most recently used), or null. */
  public V get(K key) {
    synchronized (map) {
      return map.get(key);
    }
  }

  public void put(K key, V value) {
    if (capacity == 0) return;
    synchronized (map) {
      map.put(key, value);
    }
  }

  public int size() {
    synchronized (map) {
      return map.size();
    }
  }
}
