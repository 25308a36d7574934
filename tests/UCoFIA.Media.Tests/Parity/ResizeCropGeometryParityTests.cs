namespace UCoFIA.Media.Tests.Parity;

/// <summary>Resize + centre-crop geometry against torchvision 0.14's own resize and center_crop, exactly.</summary>
public class ResizeCropGeometryParityTests
{
    private static readonly Lazy<ResizeCropGeometryCase[]> cases = new(() => ParityFixtures.Read("geometry.json")
        .GetProperty("cases").EnumerateArray()
        .Select(c => new ResizeCropGeometryCase(c.GetProperty("width").GetInt32(), c.GetProperty("height").GetInt32(), c.GetProperty("size").GetInt32(),
            new ResizeCropGeometry(c.GetProperty("resized_width").GetInt32(), c.GetProperty("resized_height").GetInt32(),
                c.GetProperty("crop_x").GetInt32(), c.GetProperty("crop_y").GetInt32())))
        .ToArray());

    public static TheoryData<int> Indices() => new(Enumerable.Range(0, cases.Value.Length));

    [Theory]
    [MemberData(nameof(Indices))]
    public void For_TorchvisionFrameSize_EqualsResizeThenCenterCrop(int index)
    {
        var (width, height, size, expected) = cases.Value[index];
        Assert.Equal(expected, ResizeCropGeometry.For(width, height, size));
    }

    [Fact]
    public void For_320By240_Gives298By224CroppedAt37()
    {
        Assert.Equal(new ResizeCropGeometry(298, 224, 37, 0), ResizeCropGeometry.For(320, 240, 224));
    }

    private sealed record ResizeCropGeometryCase(int Width, int Height, int Size, ResizeCropGeometry Expected);
}
