package dev.imagesearch.web;

import java.util.function.Supplier;

/**
 * A value created on first use, once, even under concurrent first calls. A failed creation is not
 * kept: the next call tries again (so a service whose S3 was down at start recovers).
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private volatile T value;

  public Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  @Override
  public T get() {
    T current = value;
    if (current == null) {
      synchronized (this) {
        current = value;
        if (current == null) {
          current = factory.get();
          value = current;
        }
      }
    }
    return current;
  }

  public boolean isCreated() {
    return value != null;
  }
}
