using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace UCoFIA.Service.Telemetry;

/// <summary>The service's own spans and metrics: one span name and one histogram per pipeline stage.</summary>
public static class ServiceTelemetry
{
    public const string Name = "UCoFIA.Service";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "ucofia.stage.duration", unit: "ms", description: "Duration of each ingestion and search stage.");

    private static readonly Counter<long> JobsFinished = Meter.CreateCounter<long>(
        "ucofia.jobs.finished", description: "Ingestion jobs that reached a final state, by state.");

    public static void RecordJob(string state) => JobsFinished.Add(1, new KeyValuePair<string, object?>("state", state));

    /// <summary>Starts a span for a stage and, on dispose, records its duration in the stage histogram.</summary>
    public static StageTimer Stage(string stage) => new(stage, Source.StartActivity(stage));

    public readonly struct StageTimer(string stage, Activity? activity) : IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        public double ElapsedMilliseconds => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

        public void Dispose()
        {
            StageDuration.Record(ElapsedMilliseconds, new KeyValuePair<string, object?>("stage", stage));
            activity?.Dispose();
        }
    }
}
