package dev.imagesearch.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ec2/image-search.service} read the simple way systemd reads it: {@code Key=value} lines
 * per {@code [Section]}, comments skipped. Enough for a unit without line continuations or quoting
 * (a test keeps it that way).
 */
record UnitFile(Path path, Map<String, String> directives) {

  static UnitFile read() throws IOException {
    Path path = TestStacks.layout().ec2Dir().resolve("image-search.service");
    Map<String, String> directives = new LinkedHashMap<>();
    String section = "";
    for (String raw : Files.readAllLines(path)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      if (line.startsWith("[")) {
        section = line.substring(1, line.length() - 1);
        continue;
      }
      if (line.endsWith("\\") || line.contains("\"")) {
        throw new AssertionError("keep " + path + " free of continuations and quotes: " + line);
      }
      int eq = line.indexOf('=');
      directives.put(section + "." + line.substring(0, eq), line.substring(eq + 1));
    }
    return new UnitFile(path, directives);
  }

  String get(String sectionAndKey) {
    String value = directives.get(sectionAndKey);
    if (value == null) {
      throw new AssertionError(path + " has no " + sectionAndKey);
    }
    return value;
  }

  /** {@code ExecStart} split into its arguments. */
  List<String> execStart() {
    return new ArrayList<>(Arrays.asList(get("Service.ExecStart").split("\\s+")));
  }
}
