using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>Local folders the service writes (section "Storage").</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Root for uploads awaiting ingestion; they must survive a restart so that jobs can resume.</summary>
    [Required]
    public string DataDirectory { get; set; } = ".data/service";

    public string UploadDirectory => System.IO.Path.Combine(DataDirectory, "uploads");
}
