using System.Text;
using System.Text.Json;

namespace UCoFIA.Model;

/// <summary>A set of Unicode code points stored as sorted, disjoint closed ranges.</summary>
internal sealed class CodePointSet
{
    private readonly int[] firsts;
    private readonly int[] lasts;

    private CodePointSet(int[] firsts, int[] lasts)
    {
        for (var i = 1; i < firsts.Length; i++)
        {
            if (firsts[i] <= lasts[i - 1])
                throw new InvalidDataException("Code point ranges must be sorted and disjoint.");
        }
        this.firsts = firsts;
        this.lasts = lasts;
    }

    /// <param name="ranges">A JSON array of [first, last] pairs.</param>
    public static CodePointSet FromJson(JsonElement ranges)
    {
        var pairs = ranges.EnumerateArray().Select(r => (First: r[0].GetInt32(), Last: r[1].GetInt32())).ToArray();
        return new CodePointSet(pairs.Select(p => p.First).ToArray(), pairs.Select(p => p.Last).ToArray());
    }

    public bool Contains(int codePoint)
    {
        var index = Array.BinarySearch(firsts, codePoint);
        // A miss returns the complement of the next range's index; the candidate is the range before it.
        if (index < 0)
            index = ~index - 1;
        return index >= 0 && codePoint <= lasts[index];
    }

    public bool Contains(Rune rune) => Contains(rune.Value);
}
