package dev.imagesearch.infra;

import software.amazon.awscdk.App;

/** The CDK app: `make synth` runs it. */
public final class InfraApp {
  private InfraApp() {}

  public static void main(String[] args) {
    App app = new App();
    app.synth();
  }
}
