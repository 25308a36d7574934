using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Ingestion;

/// <summary>Uploads waiting for their job, kept in a private folder that survives restarts so jobs can resume.</summary>
public sealed class UploadStore(IOptions<StorageOptions> options)
{
    public string Directory => options.Value.UploadDirectory;

    /// <summary>Moves a streamed upload to the job's own file and returns its path.</summary>
    public string Adopt(UploadedVideo upload, Guid jobId)
    {
        UploadReader.CreatePrivateDirectory(Directory);
        var path = Path.Combine(Directory, $"{jobId:N}.video");
        File.Move(upload.TempPath, path, overwrite: true);
        return path;
    }

    public static void Remove(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
