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

    /// <summary>Where kept originals live, one file per video, for playback and re-encoding.</summary>
    public string OriginalsDirectory => System.IO.Path.Combine(DataDirectory, "originals");

    /// <summary>Keep each uploaded file once its video is stored (playback of moments, re-encoding with another model).</summary>
    public bool KeepOriginals { get; set; } = true;

    /// <summary>The most bytes kept originals may take; once full, new originals are not kept (an upload is never refused for it).</summary>
    [Range(0, long.MaxValue)]
    public long OriginalsBudgetBytes { get; set; } = 100L * 1024 * 1024 * 1024;
}
