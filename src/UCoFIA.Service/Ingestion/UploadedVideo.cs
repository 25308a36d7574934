namespace UCoFIA.Service.Ingestion;

/// <summary>A multipart video upload after it has been streamed to a private temporary file.</summary>
/// <param name="CallbackUrl">Called when the upload's job ends; already allowed by the callback policy. Null for none.</param>
public sealed record UploadedVideo(string TempPath, string Sha256, long Length, string? FileName, string? Title, string[] Captions, string MetadataJson,
    string? CallbackUrl = null)
    : IDisposable
{
    /// <summary>Removes the temporary file unless it has been moved into the upload store.</summary>
    public void Dispose()
    {
        if (File.Exists(TempPath))
        {
            File.Delete(TempPath);
        }
    }
}
