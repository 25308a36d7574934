using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace UCoFIA.Model;

/// <summary>Reads a state dict written by <c>torch.save</c> (the zip format, PyTorch ≥ 1.6): HF's
/// <c>pytorch_model.bin</c>, openai's and the authors' checkpoints.</summary>
internal static class TorchPickleStateDict
{
    /// <returns>every tensor by name, in the dtype it was saved with; the caller owns them</returns>
    public static Dictionary<string, Tensor> Load(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (NotImplementedException e)
        {
            throw new InvalidDataException($"{path} is not a torch.save state dict this reader supports: {e.Message}", e);
        }
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string name && entry.Value is Tensor tensor)
                tensors[name] = tensor;
        }
        return tensors;
    }
}
