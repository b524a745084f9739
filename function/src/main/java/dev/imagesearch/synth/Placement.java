package dev.imagesearch.synth;

/**
 * Where one shape sits in the image: centre and radius in pixels, rotation in radians.
 *
 * @param x centre, pixels from the left edge
 * @param y centre, pixels from the top edge
 * @param radius distance from the centre to the shape's outermost point
 * @param rotation clockwise rotation in radians (ignored for circles)
 */
public record Placement(double x, double y, double radius, double rotation) {}
