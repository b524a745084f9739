package dev.imagesearch;

/** Entry point of the executable jar; sub-commands are added as the pieces land. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("image-search");
  }
}
