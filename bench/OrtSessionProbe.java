import ai.onnxruntime.*;
import java.nio.LongBuffer;
import java.nio.file.*;
import java.util.*;

/**
 * One ONNX Runtime session of the text tower, timed and measured, for docs/benchmarks.md ("Start-up
 * and memory"). Run in a fresh JVM per measurement:
 *
 * <pre>
 * java -Xmx128m --enable-native-access=ALL-UNNAMED -cp function/target/image-search.jar \
 *   bench/OrtSessionProbe.java MODE MODEL [GRAPH] [FLAGS...]
 * </pre>
 *
 * MODE: all (ALL_OPT, as before the saved graph), save (ALL_OPT, writing GRAPH), noopt (GRAPH with
 * optimisation off, as from the saved graph). FLAGS: noarena, nopattern, noprepack, devinit,
 * ortbytes (session options). Prints the session's creation time (wall and process CPU), the first
 * and median run of 60 8-token inputs, and the RSS growth of each step. Under MALLOC_TRIM_THRESHOLD_
 * or not is the caller's environment.
 */
public class OrtSessionProbe {
  static long rssKb() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
    return -1;
  }
  public static void main(String[] a) throws Exception {
    String mode = a[0]; String model = a[1];
    long t0 = System.nanoTime();
    long rss0 = rssKb();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long t1 = System.nanoTime();
    long rss1 = rssKb();
    OrtSession.SessionOptions o = new OrtSession.SessionOptions();
    o.setIntraOpNumThreads(2); o.setInterOpNumThreads(1);
    o.addConfigEntry("session.intra_op.allow_spinning", "0");
    Set<String> flags = new HashSet<>(Arrays.asList(a).subList(Math.min(3, a.length), a.length));
    switch (mode) {
      case "all" -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      case "save" -> { o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT); o.setOptimizedModelFilePath(a[2]); }
      case "saveext" -> { o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT); o.setOptimizedModelFilePath(a[2]); }
      case "noopt" -> { o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT); model = a[2]; }
      case "basicopt" -> { o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT); model = a[2]; }
      case "allopt2" -> { o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT); model = a[2]; }
    }
    if (flags.contains("noarena")) o.setCPUArenaAllocator(false);
    if (flags.contains("nopattern")) o.setMemoryPatternOptimization(false);
    if (flags.contains("ortbytes")) { o.addConfigEntry("session.use_ort_model_bytes_directly", "1"); o.addConfigEntry("session.use_ort_model_bytes_for_initializers", "1"); }
    if (flags.contains("devinit")) o.addConfigEntry("session.use_device_allocator_for_initializers", "1");
    if (flags.contains("noprepack")) o.addConfigEntry("session.disable_prepacking", "1");
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long c1 = os.getProcessCpuTime();
    OrtSession s = env.createSession(model, o);
    long t2 = System.nanoTime();
    long c2 = os.getProcessCpuTime();
    long rss2 = rssKb();
    long[] ids = {49406, 320, 1125, 4382, 539, 320, 4326, 49407};
    double[] lat = new double[60];
    for (int i = 0; i < lat.length; i++) {
      long[] q = ids.clone(); q[2] = 1000 + i; 
      long s0 = System.nanoTime();
      try (OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(q), new long[]{1, q.length});
           OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{1,1,1,1,1,1,1,1}), new long[]{1, 8})) {
        Map<String, OnnxTensor> in = new HashMap<>();
        in.put("input_ids", t);
        if (s.getInputNames().contains("attention_mask")) in.put("attention_mask", m);
        try (OrtSession.Result r = s.run(in)) { r.get(0); }
      }
      lat[i] = (System.nanoTime() - s0) / 1e6;
    }
    long rss3 = rssKb();
    double[] tail = Arrays.copyOfRange(lat, 10, lat.length); Arrays.sort(tail);
    System.out.printf("%s %s env %.0f ms, session %.0f ms (cpu %.0f ms), first run %.1f ms, p50 %.2f ms | rss MB: base %d, +env %d, +session %d, +60 runs %d%n",
      mode, flags, (t1-t0)/1e6, (t2-t1)/1e6, (c2-c1)/1e6, lat[0], tail[tail.length/2], rss0/1024, (rss1-rss0)/1024, (rss2-rss1)/1024, (rss3-rss2)/1024);
  }
}
