package dev.imagesearch.bench;

import dev.imagesearch.clip.ClipModel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of the JVM before and after loading a model's int8 text tower and answering 50
 * queries: the figure the EC2 unit's memory budget starts from (ec2/image-search.service,
 * docs/deploy.md "Memory"). Run under the unit's heap flags: {@code make bench-model-footprint}.
 */
public final class ModelFootprint {
  private ModelFootprint() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "work-data/bench-model");
    System.out.println("before loading: " + memory());
    ClipModel clip = ClipModel.load(model, ClipModel.Options.defaults());
    System.out.println("model loaded:   " + memory());
    for (int i = 0; i < 50; i++) {
      clip.embedText("a photo of a dog number " + i + " on a long sandy beach at sunset");
    }
    Runtime runtime = Runtime.getRuntime();
    System.out.printf(
        "after 50 queries: %s; heap used %.0f MB%n",
        memory(), (runtime.totalMemory() - runtime.freeMemory()) / 1e6);
  }

  /** VmRSS and its peak VmHWM from /proc (Linux). */
  private static String memory() throws Exception {
    return String.join(
        ", ",
        Files.readAllLines(Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
            .map(l -> l.replaceAll("\\s+", " "))
            .toList());
  }
}
