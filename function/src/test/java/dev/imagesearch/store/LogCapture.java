package dev.imagesearch.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Test helper: collects what a class logs through {@link System.Logger} (whose default backend is
 * java.util.logging), formatted as a person would read it.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final Logger logger; // strong reference: JUL forgets loggers nobody holds
  private final List<String> lines = new CopyOnWriteArrayList<>();

  public LogCapture(Class<?> type) {
    logger = Logger.getLogger(type.getName());
    logger.addHandler(this);
  }

  /** Lines logged at WARNING or above. */
  public List<String> warnings() {
    return lines.stream().filter(l -> l.startsWith("WARNING ")).map(l -> l.substring(8)).toList();
  }

  public List<String> all() {
    return List.copyOf(lines);
  }

  public void clear() {
    lines.clear();
  }

  @Override
  public void publish(LogRecord record) {
    String message = record.getMessage();
    if (record.getParameters() != null) {
      message = java.text.MessageFormat.format(message, record.getParameters());
    }
    lines.add(
        (record.getLevel().intValue() >= Level.WARNING.intValue() ? "WARNING " : "INFO ")
            + message);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
  }
}
