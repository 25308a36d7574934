using System.Globalization;
using System.Text.RegularExpressions;

namespace UCoFIA.Media;

/// <summary>Reads frame presentation times from the showinfo filter's log lines.</summary>
internal static partial class FrameTimestamps
{
    public static double[] Parse(IEnumerable<string> stderrLines) =>
        stderrLines
            .Where(line => line.Contains("Parsed_showinfo", StringComparison.Ordinal))
            .Select(line => PtsTime().Match(line))
            .Where(match => match.Success)
            .Select(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToArray();

    [GeneratedRegex(@"pts_time:\s*(-?[0-9.]+(?:e[-+]?[0-9]+)?)")]
    private static partial Regex PtsTime();
}
