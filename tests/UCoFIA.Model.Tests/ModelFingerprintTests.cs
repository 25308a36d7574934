namespace UCoFIA.Model.Tests;

public sealed class ModelFingerprintTests
{
    [Fact]
    public void Of_CopyOfTheFolder_IsTheSame()
    {
        using var original = Folder();
        using var copy = new TempFolder();
        foreach (var file in Directory.GetFiles(original.Path))
        {
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        }

        Assert.Equal(ModelFingerprint.Of(original.Path), ModelFingerprint.Of(copy.Path));
    }

    [Fact]
    public void Of_OneWeightByteChanged_Differs()
    {
        using var folder = Folder();
        var before = ModelFingerprint.Of(folder.Path);
        var weights = File.ReadAllBytes(Path.Combine(folder.Path, "model.safetensors"));
        weights[^1] ^= 1;
        File.WriteAllBytes(Path.Combine(folder.Path, "model.safetensors"), weights);

        Assert.NotEqual(before, ModelFingerprint.Of(folder.Path));
    }

    [Fact]
    public void Of_QueryBankChanged_IsTheSame()
    {
        using var folder = Folder();
        var before = ModelFingerprint.Of(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "sk_bank.txt"), "a sentence that changes no feature\n");

        Assert.Equal(before, ModelFingerprint.Of(folder.Path));
    }

    private static TempFolder Folder()
    {
        var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), "{}");
        File.WriteAllText(Path.Combine(folder.Path, "vocab.json"), "{}");
        File.WriteAllText(Path.Combine(folder.Path, "merges.txt"), "#version: 0.2\n");
        File.WriteAllBytes(Path.Combine(folder.Path, "model.safetensors"), [1, 2, 3, 4]);
        return folder;
    }
}
