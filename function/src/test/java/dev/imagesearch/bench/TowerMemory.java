package dev.imagesearch.bench;

import dev.imagesearch.clip.ClipModel;
import dev.imagesearch.clip.TextTower;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory the multilingual tower adds: loads a model folder, answers one query per tower, and prints
 * the process's resident set (VmRSS) and the heap in use after a GC. Run once on the tiny model
 * folder and once on a copy without the multilingual files, each in a fresh JVM:
 *
 * <pre>
 * java -cp "function/target/test-classes:function/target/classes:$(cat work-data/classpath.txt)" \
 *     dev.imagesearch.bench.TowerMemory function/src/test/resources/tiny-clip
 * </pre>
 */
public final class TowerMemory {
  private TowerMemory() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    long before = rssKb();
    try (ClipModel model = ClipModel.load(dir, ClipModel.Options.defaults())) {
      model.embedText("two small red triangles");
      model.tower(TextTower.MULTILINGUAL).embedText("deux petits triangles rouges");
      System.gc();
      Runtime rt = Runtime.getRuntime();
      System.out.printf(
          "%s multilingual=%s: RSS %d kB (before loading %d kB), heap used %d kB%n",
          dir, model.multilingual(), rssKb(), before, (rt.totalMemory() - rt.freeMemory()) / 1024);
    }
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
