using Microsoft.Extensions.Diagnostics.HealthChecks;
using UCoFIA.Service.Inference;

namespace UCoFIA.Service.Health;

/// <summary>
/// Ready once the model worker holds the checkpoint: until then every search and ingestion would wait for it (or fail,
/// when it cannot be loaded), so a load balancer should not send traffic yet. The data says which model answers.
/// </summary>
public sealed class ModelReadyCheck(ModelWorker worker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var model = worker.Model;
        return Task.FromResult(model switch
        {
            { IsFaulted: true } => HealthCheckResult.Unhealthy("The model could not be loaded; see the log.", model.Exception?.GetBaseException()),
            { IsCompletedSuccessfully: true } when worker.Loaded is { } loaded => HealthCheckResult.Healthy(
                $"Model {loaded.Fingerprint} loaded on {loaded.Device}.",
                new Dictionary<string, object>
                {
                    ["path"] = loaded.Path,
                    ["fingerprint"] = loaded.Fingerprint,
                    ["device"] = loaded.Device,
                    ["zeroShot"] = loaded.ZeroShot,
                }),
            _ => HealthCheckResult.Unhealthy("The model is still loading."),
        });
    }
}
