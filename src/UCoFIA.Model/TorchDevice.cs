using TorchSharp;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Resolves the configured device name and sets libtorch's CPU thread count.</summary>
public static class TorchDevice
{
    /// <param name="name">auto (CUDA when available, else CPU), cpu or cuda (cuda:N accepted)</param>
    public static Device Resolve(string name)
    {
        var wanted = name.Trim().ToLowerInvariant();
        if (wanted == "auto")
            return cuda.is_available() ? CUDA : CPU;
        if (wanted == "cpu")
            return CPU;
        if (wanted == "cuda" || wanted.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available())
                throw new InvalidOperationException(
                    "Device 'cuda' was requested but CUDA is not available: this build links the CPU libtorch " +
                    "(rebuild with -p:TorchBackend=cuda) or no GPU is visible. Use 'auto' or 'cpu'.");
            return new Device(wanted);
        }
        throw new ArgumentException($"Unknown device '{name}': use auto, cpu or cuda", nameof(name));
    }

    /// <summary>
    /// Sets libtorch's intra-op threads (default: all cores). One inference worker should own the cores; many
    /// threads each spawning OpenMP teams are slower than one (ENVIRONMENT.md).
    /// </summary>
    public static void SetThreads(int? threads = null)
    {
        var count = threads ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (get_num_threads() != count)
            set_num_threads(count);
    }
}
