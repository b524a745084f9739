package dev.imagesearch.clip;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.imagesearch.ImageSearchException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one wrapper around an ONNX Runtime session, and the only class that catches {@link
 * OrtException}: every failure becomes an {@link ImageSearchException} naming the model file.
 *
 * <p>Sessions are created with full graph optimisation and spinning intra-op threads turned off
 * (spinning burns the CPU share that Lambda and small EC2 instances pay for between requests).
 * {@code run} is thread-safe, as ONNX Runtime's {@code OrtSession.run} is.
 *
 * <p><b>Native library.</b> Unless {@link OnnxNatives} pointed it at copies in the model cache (the
 * server does), ONNX Runtime's Java binding extracts {@code libonnxruntime.so} and its JNI library
 * into {@code java.io.tmpdir/onnxruntime-java<random>/} (on Lambda: {@code /tmp}) and deletes the
 * files once loaded (an empty folder stays, one per process start; a restored SnapStart snapshot
 * does not load them again). A JVM that dies while loading leaves the files behind.
 *
 * <pre>{@code
 * try (OnnxSession s = OnnxSession.open(path, 2)) {
 *   boolean masked = s.hasInput("attention_mask");
 *   float[][] out = s.runLongs(Map.of("input_ids", ids), new long[] {1, ids.length}, "text_embeds");
 * }
 * }</pre>
 */
public final class OnnxSession implements AutoCloseable {
  private final Path modelFile;
  private final Path loadedFrom;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final int intraOpThreads;

  private OnnxSession(
      Path modelFile, Path loadedFrom, OrtEnvironment env, OrtSession session, int threads) {
    this.modelFile = modelFile;
    this.loadedFrom = loadedFrom;
    this.env = env;
    this.session = session;
    this.intraOpThreads = threads;
  }

  /**
   * Longest process command line (bytes of {@code /proc/self/cmdline}) with which ONNX Runtime 1.29
   * was seen to load on Linux: at 3,981 bytes and above, loading its JNI library kills the JVM with
   * SIGSEGV and no error report (it reads the command line into a fixed buffer). A long {@code -cp}
   * list or {@code -D} value is the usual cause.
   */
  static final int MAX_SAFE_COMMAND_LINE = 3980;

  /** Loads {@code modelFile} with {@code intraOpThreads} threads (see {@link ThreadSizing}). */
  public static OnnxSession open(Path modelFile, int intraOpThreads) {
    return open(modelFile, intraOpThreads, false);
  }

  /**
   * Loads {@code modelFile}; {@code spinning} lets idle intra-op threads spin instead of sleeping
   * ({@link ThreadSizing#SPINNING_VARIABLE}; measured in docs/benchmarks.md).
   */
  public static OnnxSession open(Path modelFile, int intraOpThreads, boolean spinning) {
    return create(modelFile, modelFile, intraOpThreads, spinning, null);
  }

  /**
   * Loads {@code modelFile} with full graph optimisation and writes the optimised graph to {@code
   * optimizedFile} (ONNX Runtime's ORT format when the name ends in {@code .ort}), for {@link
   * #openOptimized} on later starts. The optimised graph may hold CPU-specific kernels: {@link
   * OptimizedModelCache} keys it by CPU and runtime version.
   */
  static OnnxSession openSaving(
      Path modelFile, int intraOpThreads, boolean spinning, Path optimizedFile) {
    return create(modelFile, modelFile, intraOpThreads, spinning, optimizedFile);
  }

  /**
   * Loads a graph {@link #openSaving} wrote, with graph optimisation off: it is already optimised,
   * and skipping the optimiser is the point (measured in docs/benchmarks.md, "Start-up and
   * memory"). {@code modelFile} is the original model, named in messages.
   */
  static OnnxSession openOptimized(
      Path optimizedFile, Path modelFile, int intraOpThreads, boolean spinning) {
    return create(optimizedFile, modelFile, intraOpThreads, spinning, null);
  }

  private static OnnxSession create(
      Path file, Path modelFile, int intraOpThreads, boolean spinning, Path saveTo) {
    checkCommandLineLength(commandLineLength());
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(
          file.equals(modelFile)
              ? OrtSession.SessionOptions.OptLevel.ALL_OPT
              : OrtSession.SessionOptions.OptLevel.NO_OPT);
      options.setIntraOpNumThreads(intraOpThreads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
      if (saveTo != null) {
        options.setOptimizedModelFilePath(saveTo.toString());
        // Its one warning says the saved graph is hardware specific: the cache key says so too.
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
      }
      OrtSession session = env.createSession(file.toString(), options);
      return new OnnxSession(modelFile, file, env, session, intraOpThreads);
    } catch (OrtException e) {
      throw new ImageSearchException(
          "cannot load ONNX model "
              + (file.equals(modelFile) ? modelFile : file + " (optimised from " + modelFile + ")")
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The native ONNX Runtime's version, e.g. {@code 1.29.0}. */
  static String runtimeVersion() {
    return OrtEnvironment.getEnvironment().getVersion();
  }

  /**
   * Refuses, with an explanation, a command line long enough to crash ONNX Runtime's native loader,
   * instead of letting the JVM die silently. {@code length < 0} means unknown (not Linux).
   */
  static void checkCommandLineLength(int length) {
    if (length > MAX_SAFE_COMMAND_LINE) {
      throw new ImageSearchException(
          "the java command line is "
              + length
              + " bytes long; ONNX Runtime 1.29 crashes the JVM when it exceeds "
              + MAX_SAFE_COMMAND_LINE
              + " bytes. Shorten it: run the shaded jar (java -jar), put the classpath in an"
              + " @argfile or the CLASSPATH variable, or for JMH add"
              + " -Djmh.separateClasspathJAR=true");
    }
  }

  private static int commandLineLength() {
    Path cmdline = Path.of("/proc/self/cmdline");
    try {
      return Files.isReadable(cmdline) ? Files.readAllBytes(cmdline).length : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  public Path modelFile() {
    return modelFile;
  }

  /** The file ONNX Runtime read: the model, or its saved optimised graph. */
  public Path loadedFrom() {
    return loadedFrom;
  }

  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** Names of the inputs the model declares. */
  public Set<String> inputNames() {
    return session.getInputNames();
  }

  public boolean hasInput(String name) {
    return session.getInputNames().contains(name);
  }

  /**
   * The last dimension of output {@code name} as declared by the model, or -1 when dynamic.
   *
   * @throws ImageSearchException when the model has no such output
   */
  public long outputWidth(String name) {
    try {
      NodeInfo info = session.getOutputInfo().get(name);
      if (info == null) {
        throw missingOutput(name);
      }
      long[] shape = ((TensorInfo) info.getInfo()).getShape();
      return shape[shape.length - 1];
    } catch (OrtException e) {
      throw new ImageSearchException("cannot inspect " + modelFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs the model on int64 inputs that all share {@code shape} and returns output {@code
   * outputName} as {@code [batch][width]}.
   */
  public float[][] runLongs(Map<String, long[]> inputs, long[] shape, String outputName) {
    return runLongTensors(inputs, shape, outputName, false);
  }

  /**
   * Runs the model on int64 inputs of {@code shape} {@code [1, length]} and returns the per-token
   * output {@code outputName} ({@code [1, length, width]}) as {@code [length][width]}.
   */
  public float[][] runTokenStates(Map<String, long[]> inputs, long[] shape, String outputName) {
    return runLongTensors(inputs, shape, outputName, true);
  }

  private float[][] runLongTensors(
      Map<String, long[]> inputs, long[] shape, String outputName, boolean tokenStates) {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, long[]> input : inputs.entrySet()) {
        tensors.put(
            input.getKey(), OnnxTensor.createTensor(env, LongBuffer.wrap(input.getValue()), shape));
      }
      return run(tensors, outputName, tokenStates);
    } catch (OrtException e) {
      throw failure(e);
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  /** Whether the model declares output {@code name}. */
  public boolean hasOutput(String name) {
    return session.getOutputNames().contains(name);
  }

  /** Runs the model on one float32 input of {@code shape} and returns {@code outputName}. */
  public float[][] runFloats(String inputName, FloatBuffer data, long[] shape, String outputName) {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, data, shape)) {
      return run(Map.of(inputName, tensor), outputName, false);
    } catch (OrtException e) {
      throw failure(e);
    }
  }

  /**
   * Output {@code outputName} as rows: a {@code [batch, dim]} tensor, or with {@code tokenStates} a
   * {@code [1, length, width]} one read as {@code [length][width]}.
   */
  private float[][] run(Map<String, OnnxTensor> inputs, String outputName, boolean tokenStates)
      throws OrtException {
    if (!session.getOutputNames().contains(outputName)) {
      throw missingOutput(outputName);
    }
    try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
      OnnxValue value = result.get(outputName).orElseThrow(() -> missingOutput(outputName));
      long[] shape = value instanceof OnnxTensor t ? t.getInfo().getShape() : new long[0];
      boolean expected = tokenStates ? shape.length == 3 && shape[0] == 1 : shape.length == 2;
      if (!expected) {
        throw new ImageSearchException(
            modelFile
                + ": output "
                + outputName
                + " is not a "
                + (tokenStates ? "[1, length, width]" : "[batch, dim]")
                + " tensor");
      }
      FloatBuffer flat = ((OnnxTensor) value).getFloatBuffer();
      float[][] rows = new float[(int) shape[shape.length - 2]][(int) shape[shape.length - 1]];
      for (float[] row : rows) {
        flat.get(row);
      }
      return rows;
    }
  }

  private ImageSearchException missingOutput(String name) {
    return new ImageSearchException(
        modelFile + " has no output \"" + name + "\" (outputs: " + session.getOutputNames() + ")");
  }

  private ImageSearchException failure(OrtException e) {
    return new ImageSearchException(
        "ONNX Runtime failed on " + modelFile + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new ImageSearchException("cannot close " + modelFile + ": " + e.getMessage(), e);
    }
  }
}
