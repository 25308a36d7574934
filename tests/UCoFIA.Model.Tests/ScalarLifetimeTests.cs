using System.Diagnostics;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

/// <summary>
/// TorchSharp's implicit double → Scalar conversions create a finalizable object whose only use is its native
/// handle; a GC during the native call can finalize (free) it while libtorch still reads it. These tests hammer
/// the model's hot paths while another thread forces collections and finalizers.
/// </summary>
public class ScalarLifetimeTests(ITestOutputHelper output)
{
    [Fact]
    public void Scalar_CreatedInADisposeScope_OutlivesTheScope()
    {
        // ScalarOps keeps a static Scalar; that is only safe while TorchSharp leaves Scalars out of DisposeScopes.
        Scalar scalar;
        using (NewDisposeScope())
            scalar = 1.5.ToScalar();
        Assert.Equal(1.5, scalar.ToDouble());
        scalar.Dispose();
    }

    [Fact]
    public void HotPath_UnderForcedCollections_MatchesReferenceAndDoesNotThrow()
    {
        using var folder = new TempFolder();
        using var model = TestData.TinyModel(folder);
        var texts = new[] { "hello", "hello hello!", "a dog runs" };
        using var frames = TestData.Frames(model.Config, 2, 4, seed: 3);
        using var frameMask = TestData.AllFrames(2, 4);
        frameMask[1, 3] = tensor(false); // a padded frame, so the masked paths run

        float[] Run()
        {
            using var scope = NewDisposeScope();
            using var text = model.EncodeText(texts);
            using var video = model.EncodeVideo(frames, frameMask);
            using var result = model.Score(text, video);
            return [.. TestData.Values(result.Video), .. TestData.Values(result.Frame), .. TestData.Values(result.Patch),
                .. TestData.Values(result.Unified(ScoreOptions.AllGranularities))];
        }

        var reference = Run();
        for (var i = 0; i < 50; i++) Run(); // let tiered compilation optimise TorchSharp's wrappers (that is when the temporaries die early)

        using var stop = new CancellationTokenSource();
        var collections = 0L;
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Interlocked.Increment(ref collections);
            }
        }) { IsBackground = true };
        collector.Start();
        var (runs, exceptions, mismatches) = (0, 0, 0);
        string? first = null;
        var clock = Stopwatch.StartNew();
        try
        {
            while (clock.Elapsed < TimeSpan.FromSeconds(6))
            {
                runs++;
                try
                {
                    var values = Run();
                    if (!values.Zip(reference).All(p => Math.Abs(p.First - p.Second) <= 1e-5))
                    {
                        mismatches++;
                        first ??= "wrong numbers";
                    }
                }
                catch (Exception e)
                {
                    exceptions++;
                    first ??= e.Message;
                }
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
        output.WriteLine($"{runs} runs, {Interlocked.Read(ref collections)} collections, {exceptions} exceptions, {mismatches} mismatches; first: {first}");
        Assert.True(exceptions == 0 && mismatches == 0,
            $"{exceptions} exceptions and {mismatches} wrong results in {runs} runs; first: {first}");
    }
}
