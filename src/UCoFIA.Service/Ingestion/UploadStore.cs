using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;

namespace UCoFIA.Service.Ingestion;

/// <summary>
/// The service's private folders for uploads: a temporary folder the upload streams into, and the folder of uploads
/// waiting for their job, which survives restarts so jobs can resume.
/// </summary>
public sealed class UploadStore(IOptions<StorageOptions> options)
{
    public string Directory => options.Value.UploadDirectory;

    public string TempDirectory => Path.Combine(options.Value.DataDirectory, "tmp");

    /// <summary>Moves a streamed upload to the job's own file and returns its path.</summary>
    public string Adopt(UploadedVideo upload, Guid jobId)
    {
        CreatePrivateDirectory(Directory);
        var path = Path.Combine(Directory, $"{jobId:N}.video");
        File.Move(upload.TempPath, path, overwrite: true);
        return path;
    }

    /// <summary>A new, empty temporary file path in a folder only the service's user can enter.</summary>
    public string NewTempPath()
    {
        CreatePrivateDirectory(TempDirectory);
        return Path.Combine(TempDirectory, $"{Guid.NewGuid():N}.upload");
    }

    public static void Remove(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    /// <summary>Creates a folder only the service's user can enter (uploads are users' private videos).</summary>
    internal static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(path);
            return;
        }
        System.IO.Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
