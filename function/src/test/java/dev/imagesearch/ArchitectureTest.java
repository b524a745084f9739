package dev.imagesearch;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package layering that {@code docs/architecture.md} draws, checked on the production classes
 * (tests are not imported), so the picture and the code cannot drift apart.
 */
@AnalyzeClasses(packages = "dev.imagesearch", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** The JDK: {@code java.*}, {@code javax.*} and {@code jdk.*} (the Vector API among them). */
  private static final String[] JDK = {"java..", "javax..", "jdk.."};

  @ArchTest
  static final ArchRule searchUsesOnlyTheJdkAndTheRootException =
      classes()
          .that()
          .resideInAPackage("dev.imagesearch.search..")
          .should()
          .onlyDependOnClassesThat(
              resideInAnyPackage(JDK)
                  .or(resideInAnyPackage("dev.imagesearch.search.."))
                  .or(
                      describe(
                          "are dev.imagesearch.ImageSearchException",
                          (JavaClass c) -> c.isEquivalentTo(ImageSearchException.class))))
          .because("the scoring core is pure: vectors in, ranked hits out");

  @ArchTest
  static final ArchRule onlyClipTouchesOnnxRuntimeAndDjl =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.imagesearch.clip..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
          .because("clip's wrappers are the only ones that catch OrtException and DJL's errors");

  @ArchTest
  static final ArchRule onlyStoreTouchesTheAwsSdk =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.imagesearch.store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("software.amazon.awssdk..")
          .because("S3BlobStore and S3Errors are the only ones that catch SdkException");

  /**
   * The Lambda runtime and event types ({@code com.amazonaws.services.lambda.runtime..}, from
   * aws-lambda-java-core and aws-lambda-java-events) are the two doors' shared language: {@code
   * web} (the handler, its event conversion, SnapStart priming) and {@code server} (which turns
   * socket requests into the same events) may use them, nothing else.
   */
  @ArchTest
  static final ArchRule onlyTheDoorsUseLambdaEvents =
      noClasses()
          .that()
          .resideOutsideOfPackages("dev.imagesearch.web..", "dev.imagesearch.server..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.amazonaws.services.lambda..")
          .because("only the two doors speak API Gateway events");

  @ArchTest
  static final ArchRule webDoesNotKnowTheSocketServer =
      noClasses()
          .that()
          .resideInAPackage("dev.imagesearch.web..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.imagesearch.server..")
          .because("the handler serves Lambda and the socket server alike");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("dev.imagesearch.(*)..").should().beFreeOfCycles();
}
