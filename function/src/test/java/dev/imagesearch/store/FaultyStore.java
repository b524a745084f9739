package dev.imagesearch.store;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Test helper: a store that behaves like the one it wraps until told to fail. {@link #fault} maps
 * "operation key" (e.g. {@code "open index/v2/embeddings.npy"}) to what to throw, or null to go
 * ahead; it may also sleep, to play a slow store. Only our own {@link BlobStore} interface is
 * wrapped: the real store underneath still does the work.
 */
final class FaultyStore implements BlobStore {
  private final BlobStore real;
  volatile Function<String, Throwable> fault = op -> null;

  FaultyStore(BlobStore real) {
    this.real = real;
  }

  private void check(String op, String key) {
    Throwable t = fault.apply(op + " " + key);
    if (t instanceof RuntimeException e) throw e;
    if (t instanceof Error e) throw e;
    if (t != null) throw new IllegalStateException("unsupported fault " + t);
  }

  @Override
  public InputStream open(String key) {
    check("open", key);
    return real.open(key);
  }

  @Override
  public Optional<byte[]> readIfExists(String key) {
    check("read", key);
    return real.readIfExists(key);
  }

  @Override
  public void write(String key, byte[] bytes) {
    check("write", key);
    real.write(key, bytes);
  }

  @Override
  public void write(String key, Path file) {
    check("write", key);
    real.write(key, file);
  }

  @Override
  public Optional<String> tag(String key) {
    check("tag", key);
    return real.tag(key);
  }

  @Override
  public List<String> list(String prefix) {
    check("list", prefix);
    return real.list(prefix);
  }

  @Override
  public void delete(String key) {
    check("delete", key);
    real.delete(key);
  }

  @Override
  public URI signedUrl(String key, Duration ttl) {
    return real.signedUrl(key, ttl);
  }

  @Override
  public String describe() {
    return real.describe();
  }
}
