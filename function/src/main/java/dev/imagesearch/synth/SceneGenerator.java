package dev.imagesearch.synth;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws random but reproducible scenes: the same seed always gives the same scenes and the same
 * pixels. Attributes are drawn uniformly; image sizes vary from {@value #MIN_SIDE} to {@value
 * #MAX_SIDE} pixels per side so that resizing and centre cropping matter.
 *
 * <pre>{@code
 * SceneGenerator gen = new SceneGenerator();
 * for (Scene s : gen.scenes(7, 300)) {
 *   BufferedImage img = gen.render(s);
 * }
 * }</pre>
 */
public final class SceneGenerator {
  static final int MIN_SIDE = 160;
  static final int MAX_SIDE = 640;

  /** Gap kept between shapes and from the crop border, as a fraction of the crop side. */
  private static final double MARGIN = 0.035;

  /** {@code count} scenes from {@code seed}; scene i depends only on the seed and i. */
  public List<Scene> scenes(long seed, int count) {
    SplittableRandom root = new SplittableRandom(seed);
    List<Scene> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(scene(root.split()));
    }
    return out;
  }

  private static Scene scene(SplittableRandom rnd) {
    ShapeKind shape = pick(rnd, ShapeKind.values());
    ShapeColour colour = pick(rnd, ShapeColour.values());
    int count = 1 + rnd.nextInt(3);
    ShapeSize size = pick(rnd, ShapeSize.values());
    Background background = pick(rnd, Background.values());
    int width = MIN_SIDE + rnd.nextInt(MAX_SIDE - MIN_SIDE + 1);
    int height = MIN_SIDE + rnd.nextInt(MAX_SIDE - MIN_SIDE + 1);
    List<Placement> placements = layout(rnd, shape, count, size, width, height);
    return new Scene(shape, colour, count, size, background, width, height, placements);
  }

  /** Non-overlapping placements inside the central square crop, by seeded rejection sampling. */
  private static List<Placement> layout(
      SplittableRandom rnd, ShapeKind shape, int count, ShapeSize size, int width, int height) {
    double side = Math.min(width, height);
    double left = (width - side) / 2;
    double top = (height - side) / 2;
    double margin = MARGIN * side;
    while (true) {
      List<Placement> placed = new ArrayList<>(count);
      for (int attempt = 0; attempt < 200 && placed.size() < count; attempt++) {
        double r = size.radiusFraction() * side * (0.9 + 0.2 * rnd.nextDouble());
        double lo = r + margin;
        double span = side - 2 * lo;
        double x = left + lo + span * rnd.nextDouble();
        double y = top + lo + span * rnd.nextDouble();
        double rotation = shape == ShapeKind.CIRCLE ? 0 : rnd.nextDouble() * 2 * Math.PI;
        Placement candidate = new Placement(x, y, r, rotation);
        if (placed.stream().allMatch(p -> apart(p, candidate, margin))) {
          placed.add(candidate);
        }
      }
      if (placed.size() == count) {
        return placed;
      }
    }
  }

  private static boolean apart(Placement a, Placement b, double margin) {
    return Math.hypot(a.x() - b.x(), a.y() - b.y()) > a.radius() + b.radius() + margin;
  }

  private static <T> T pick(SplittableRandom rnd, T[] values) {
    return values[rnd.nextInt(values.length)];
  }

  /** Renders the scene as an opaque RGB image, antialiased. */
  public BufferedImage render(Scene scene) {
    BufferedImage image =
        new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(scene.background().rgb());
      g.fillRect(0, 0, scene.width(), scene.height());
      g.setColor(scene.colour().rgb());
      for (Placement p : scene.placements()) {
        g.fill(outline(scene.shape(), p));
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** The shape's outline, centred on the placement, outermost point at its radius. */
  static Shape outline(ShapeKind kind, Placement p) {
    double r = p.radius();
    Shape unrotated =
        switch (kind) {
          case CIRCLE -> new Ellipse2D.Double(-r, -r, 2 * r, 2 * r);
          case SQUARE -> polygon(4, r, Math.PI / 4);
          case TRIANGLE -> polygon(3, r, -Math.PI / 2);
          case STAR -> star(r);
        };
    AffineTransform at = AffineTransform.getTranslateInstance(p.x(), p.y());
    at.rotate(p.rotation());
    return at.createTransformedShape(unrotated);
  }

  private static Path2D polygon(int corners, double r, double startAngle) {
    Path2D path = new Path2D.Double();
    for (int i = 0; i < corners; i++) {
      double a = startAngle + i * 2 * Math.PI / corners;
      if (i == 0) {
        path.moveTo(r * Math.cos(a), r * Math.sin(a));
      } else {
        path.lineTo(r * Math.cos(a), r * Math.sin(a));
      }
    }
    path.closePath();
    return path;
  }

  /** Five-pointed star; a fat inner radius keeps it recognisable when small. */
  private static Path2D star(double r) {
    Path2D path = new Path2D.Double();
    for (int i = 0; i < 10; i++) {
      double radius = i % 2 == 0 ? r : 0.48 * r;
      double a = -Math.PI / 2 + i * Math.PI / 5;
      if (i == 0) {
        path.moveTo(radius * Math.cos(a), radius * Math.sin(a));
      } else {
        path.lineTo(radius * Math.cos(a), radius * Math.sin(a));
      }
    }
    path.closePath();
    return path;
  }
}
