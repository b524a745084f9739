package dev.imagesearch.store;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code make s3-local}: a local S3-compatible server for people (S3Proxy, filesystem backend under
 * {@code work-data/s3}, SigV4 on, fixed dev credentials) on http://localhost:9000 with a bucket
 * {@code image-search}. Prints the environment that points {@code make run} at it.
 *
 * <p>Arguments (all optional): folder, port, bucket.
 */
public final class S3LocalMain {
  static final String ACCESS_KEY = "image-search-dev";
  static final String SECRET_KEY = "image-search-dev-secret";

  private S3LocalMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0] : "work-data/s3");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9000;
    String bucket = args.length > 2 ? args[2] : "image-search";
    Files.createDirectories(dir);
    S3ProxyServer server = S3ProxyServer.start(dir, port, ACCESS_KEY, SECRET_KEY);
    server.createBucket(bucket);
    System.out.printf(
        """
        S3Proxy serves %s (files under %s). Point the app at it with:

          export ENDPOINT_URL=%s
          export BUCKET_NAME=%s
          export AWS_REGION=%s
          export AWS_ACCESS_KEY_ID=%s
          export AWS_SECRET_ACCESS_KEY=%s

        Press Ctrl-C to stop.
        """,
        server.endpoint(),
        dir.toAbsolutePath(),
        server.endpoint(),
        bucket,
        S3ProxyServer.REGION,
        ACCESS_KEY,
        SECRET_KEY);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    Thread.currentThread().join();
  }
}
