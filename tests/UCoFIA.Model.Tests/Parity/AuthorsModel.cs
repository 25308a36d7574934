using System.Text.Json;
using static TorchSharp.torch;

namespace UCoFIA.Model.Tests.Parity;

/// <summary>
/// The tiny random UCoFiA that the authors' own code built and saved (tests/fixtures/parity/authors), converted
/// once with <see cref="CheckpointConverter"/> in fp32, with the reference outputs their code computed.
/// </summary>
internal sealed class AuthorsModel
{
    /// <summary>Built on a thread of its own: dispose scopes are per thread, and the scope of the test that happens
    /// to come first would otherwise dispose the shared model and tensors.</summary>
    public static readonly Lazy<AuthorsModel> Shared = new(() =>
    {
        AuthorsModel? model = null;
        var thread = new Thread(() => model = new AuthorsModel());
        thread.Start();
        thread.Join();
        return model ?? throw new InvalidOperationException("building the authors' model failed; see the first test's output");
    });

    private AuthorsModel()
    {
        var source = Path.Combine(ParityFixtures.Folder, "authors");
        Folder = Directory.CreateTempSubdirectory("ucofia-authors-").FullName;
        Summary = CheckpointConverter.Convert(Path.Combine(source, "pytorch_model.bin"), source, Folder, fp16: false);
        Model = UCoFIAModel.Load(Folder, "cpu", threads: 1);
        Reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(source, "reference.json"))).RootElement;
        var shape = Reference.GetProperty("frame_shape").EnumerateArray().Select(e => e.GetInt64()).ToArray(); // [V, F, S, S, 3]
        var bytes = File.ReadAllBytes(Path.Combine(source, "frames.rgb"));
        var real = Reference.GetProperty("real_frames").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        frameMask = stack(real.Select(n => arange(shape[1]).lt(n)).ToArray()); // [V, F]
        // CLIP's ToTensor + Normalize in float32, the generator's arithmetic; padded slots stay zero.
        var mean = tensor(ClipImage.Mean).view(3, 1, 1);
        var std = tensor(ClipImage.Std).view(3, 1, 1);
        var rgb = tensor(bytes, dtype: ScalarType.Byte).view(shape).permute(0, 1, 4, 2, 3).to(ScalarType.Float32); // [V, F, 3, S, S]
        pixels = ((rgb / 255f - mean) / std * frameMask.view(shape[0], shape[1], 1, 1, 1).to(ScalarType.Float32)).contiguous();
        Tensors = Checkpoint.Read(Folder);
    }

    private readonly Tensor pixels;
    private readonly Tensor frameMask;

    public string Folder { get; }

    public string Summary { get; }

    public UCoFIAModel Model { get; }

    public JsonElement Reference { get; }

    /// <summary>[V, F, 3, S, S] normalised, zero in padded slots; a copy per call, so that no call's dispose scope
    /// can reach the tensors the tests share.</summary>
    public Tensor Pixels => pixels.clone();

    /// <summary>[V, F], a copy per call as <see cref="Pixels"/></summary>
    public Tensor FrameMask => frameMask.clone();

    /// <summary>The converted checkpoint's tensors by name.</summary>
    public Dictionary<string, Tensor> Tensors { get; }

    public IReadOnlyList<string> Texts => Reference.GetProperty("texts").EnumerateArray().Select(e => e.GetString()!).ToArray();

    public Tensor Floats(string key, params long[] shape) =>
        tensor(Reference.GetProperty(key).EnumerateArray().Select(e => e.GetSingle()).ToArray()).view(shape);

    public Tensor Score(string granularity, long texts, long videos) =>
        tensor(Reference.GetProperty("scores").GetProperty(granularity).EnumerateArray().Select(e => e.GetSingle()).ToArray()).view(texts, videos);

    /// <summary>Copies the tensors under <paramref name="prefix"/> into a stand-alone module (e.g. one Isa).</summary>
    public T Part<T>(T module, string prefix) where T : nn.Module
    {
        var part = Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value.clone());
        Checkpoint.Copy(module, part, prefix);
        return module;
    }
}
