namespace UCoFIA.Media.Synthetic;

/// <summary>Whether a pixel offset from a shape's centre lies inside the shape of the given half-size.</summary>
internal static class ShapeMask
{
    // A five-pointed star's outer and inner vertices, unit radius, pointing up (y grows downwards).
    private static readonly (double X, double Y)[] StarVertices = Enumerable.Range(0, 10)
        .Select(i =>
        {
            var angle = -Math.PI / 2 + i * Math.PI / 5;
            var radius = i % 2 == 0 ? 1.0 : 0.4;
            return (radius * Math.Cos(angle), radius * Math.Sin(angle));
        })
        .ToArray();

    public static bool Contains(Shape shape, double dx, double dy, double half) => shape switch
    {
        Shape.Circle => dx * dx + dy * dy <= half * half,
        Shape.Square => Math.Abs(dx) <= half && Math.Abs(dy) <= half,
        // Apex at the top, base at the bottom: the half-width grows linearly downwards.
        Shape.Triangle => Math.Abs(dy) <= half && Math.Abs(dx) <= (dy + half) / 2,
        Shape.Star => InsidePolygon(StarVertices, dx / half, dy / half),
        Shape.Cross => (Math.Abs(dx) <= half / 3 && Math.Abs(dy) <= half) || (Math.Abs(dy) <= half / 3 && Math.Abs(dx) <= half),
        Shape.Ring => dx * dx + dy * dy <= half * half && dx * dx + dy * dy >= half * half * 0.36,
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    // Even-odd rule: a point is inside when a ray to the right crosses the outline an odd number of times.
    private static bool InsidePolygon((double X, double Y)[] vertices, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = vertices.Length - 1; i < vertices.Length; j = i++)
        {
            var (xi, yi) = vertices[i];
            var (xj, yj) = vertices[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
