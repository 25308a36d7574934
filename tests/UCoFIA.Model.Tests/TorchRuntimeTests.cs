using static TorchSharp.torch;

namespace UCoFIA.Model.Tests;

public class TorchRuntimeTests
{
    [Fact]
    public void Matmul_OnCpu_LoadsNativeLibraryAndComputes()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        var product = a.matmul(a); // [2, 2]
        Assert.Equal(new float[] { 7, 10, 15, 22 }, product.data<float>().ToArray());
    }
}
