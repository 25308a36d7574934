using System.ComponentModel.DataAnnotations;

namespace UCoFIA.Service.Options;

/// <summary>Where the checkpoint lives and which device runs it (section "Model").</summary>
public sealed class ModelOptions : IValidatableObject
{
    public const string Section = "Model";

    /// <summary>A folder in Hugging Face CLIP layout: config.json, model.safetensors, vocab.json, merges.txt.</summary>
    [Required]
    public string Path { get; set; } = "models/default";

    /// <summary>auto | cpu | cuda. auto takes CUDA when the CUDA build finds a GPU.</summary>
    [RegularExpression("^(auto|cpu|cuda)$", ErrorMessage = "Model:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";

    /// <summary>Most queries scored together in one re-rank micro-batch.</summary>
    [Range(1, 256)]
    public int MaxBatch { get; set; } = 16;

    /// <summary>Work items that may wait in each lane before callers are told to back off (503 with Retry-After).</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Least fraction of the worker's time that ingestion and re-indexing get while searches wait too.</summary>
    [Range(0.05, 0.95)]
    public double BackgroundShare { get; set; } = 0.3;

    /// <summary>
    /// Least fraction of the worker's time that Sinkhorn–Knopp refits get while other work waits: small, because no
    /// caller waits on a refit, but not zero, so that a refit ends under a steady load.
    /// </summary>
    [Range(0.01, 0.5)]
    public double MaintenanceShare { get; set; } = 0.05;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BackgroundShare + MaintenanceShare >= 1)
        {
            yield return new ValidationResult("Model:BackgroundShare + Model:MaintenanceShare must leave searches some of the worker (sum below 1).",
                [nameof(BackgroundShare), nameof(MaintenanceShare)]);
        }
    }
}
