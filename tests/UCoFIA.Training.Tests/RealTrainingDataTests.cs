using UCoFIA.Media.Synthetic;
using UCoFIA.Training.Data;

namespace UCoFIA.Training.Tests;

public class RealTrainingDataTests
{
    private const int Size = 32;

    [Fact]
    public async Task BatchAsync_ClipShorterThanFrameCount_PadsWithMaskedZerosLikeTheService()
    {
        var folder = Directory.CreateTempSubdirectory("ucofia-real-data").FullName;
        try
        {
            var red = new byte[Size * Size * 3];
            for (var p = 0; p < red.Length; p += 3)
                red[p] = 255;
            var path = Path.Combine(folder, "one-frame.mp4");
            await Mp4Writer.WriteAsync([red], Size, 10, path, CancellationToken.None);
            var data = new RealTrainingData([new VideoCaptionPair(path, "a red picture")], seed: 1);

            var (_, batch) = await data.BatchAsync(step: 0, size: 1, frameCount: 4, imageSize: Size, CancellationToken.None);

            var frame = 3 * Size * Size;
            Assert.Equal([true, false, false, false], batch.Mask);
            Assert.Contains(batch.Pixels.Take(frame), v => v != 0);
            Assert.All(batch.Pixels.Skip(frame), v => Assert.Equal(0f, v));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
