package dev.imagesearch.infra;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one list of environment variables the service reads, for both deployments: the EC2
 * environment file ({@link #forEc2}) and the Lambda function's environment ({@link #forLambda}).
 * {@code ec2/image-search.env.template} holds the same names for hand-made instances (a test keeps
 * the two in step).
 *
 * <pre>{@code
 * Map<String, String> env = ServiceEnvironment.forLambda(bucket.getBucketName(), values);
 * }</pre>
 */
public final class ServiceEnvironment {
  public static final String BUCKET_NAME = "BUCKET_NAME";
  public static final String AWS_REGION = "AWS_REGION";
  public static final String ENDPOINT_URL = "ENDPOINT_URL";
  public static final String PORT = "PORT";
  public static final String BIND = "IMAGE_SEARCH_BIND";
  public static final String STORE = "IMAGE_SEARCH_STORE";
  public static final String MODEL = "IMAGE_SEARCH_MODEL";
  public static final String URL_TTL = "IMAGE_SEARCH_URL_TTL";
  public static final String POLL = "IMAGE_SEARCH_INDEX_POLL";
  public static final String DJL_CACHE_DIR = "DJL_CACHE_DIR";
  public static final String DJL_OFFLINE = "DJL_OFFLINE";
  public static final String MODEL_CACHE = "IMAGE_SEARCH_MODEL_CACHE";
  public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

  /**
   * JVM options every deployment adds: the scan kernel's Vector API module (the EC2 unit's
   * ExecStart and {@code make run} pass the same). On Lambda they go through {@code
   * JAVA_TOOL_OPTIONS}, the only way to give the managed runtime's JVM an option.
   */
  public static final String LAMBDA_JVM_OPTIONS = "--add-modules=jdk.incubator.vector";

  /** The HTTP port the EC2 unit listens on (the security group opens exactly this one). */
  public static final int EC2_PORT = 80;

  /**
   * The settings an operator may change through context.
   *
   * @param modelName folder under {@code models/} in the bucket
   * @param endpointUrl S3-compatible endpoint, or null for AWS S3
   * @param urlTtl presigned URL lifetime (ISO-8601 duration)
   * @param indexPoll how often {@code index/CURRENT} is checked (ISO-8601 duration)
   */
  public record Values(String modelName, String endpointUrl, String urlTtl, String indexPoll) {}

  private ServiceEnvironment() {}

  /** The EC2 environment file, in the template's order; the region is the stack's. */
  public static Map<String, String> forEc2(String bucketName, String region, Values values) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(BUCKET_NAME, bucketName);
    env.put(AWS_REGION, region);
    if (values.endpointUrl() != null) {
      env.put(ENDPOINT_URL, values.endpointUrl());
    }
    env.put(PORT, Integer.toString(EC2_PORT));
    env.put(BIND, "0.0.0.0");
    env.putAll(shared(bucketName, values));
    env.put(DJL_CACHE_DIR, "/var/cache/image-search/djl");
    env.put(DJL_OFFLINE, "true");
    return env;
  }

  /**
   * The Lambda environment: the same names, minus what Lambda provides or forbids ({@code
   * AWS_REGION} is reserved and set by the runtime; there is no port to bind), with DJL's cache and
   * the model under {@code /tmp}, the only writable folder, and the JVM options.
   */
  public static Map<String, String> forLambda(String bucketName, Values values) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(BUCKET_NAME, bucketName);
    if (values.endpointUrl() != null) {
      env.put(ENDPOINT_URL, values.endpointUrl());
    }
    env.putAll(shared(bucketName, values));
    env.put(DJL_CACHE_DIR, "/tmp/djl");
    env.put(DJL_OFFLINE, "true");
    env.put(MODEL_CACHE, "/tmp/image-search-models");
    env.put(JAVA_TOOL_OPTIONS, LAMBDA_JVM_OPTIONS);
    return env;
  }

  private static Map<String, String> shared(String bucketName, Values values) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(STORE, "s3://" + bucketName + "/");
    env.put(MODEL, "s3://" + bucketName + "/models/" + values.modelName() + "/");
    env.put(URL_TTL, values.urlTtl());
    env.put(POLL, values.indexPoll());
    return env;
  }
}
