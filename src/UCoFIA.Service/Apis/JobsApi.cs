using System.ComponentModel;
using Microsoft.AspNetCore.Http.HttpResults;
using UCoFIA.Service.Domain;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Ingestion;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs");
        api.MapGet("/", ListAsync)
            .WithName("ListJobs")
            .WithSummary("List ingestion jobs, newest first")
            .WithDescription("All jobs, or those in one state (queued, running, succeeded, failed, canceled), a page at a time.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/{id:guid}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Ingestion job status")
            .WithDescription("state is queued, running, succeeded, failed or canceled; progress runs from 0 to 1; error says why a job failed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithName("CancelJob")
            .WithSummary("Cancel a queued or running job")
            .WithDescription("A queued job is canceled at once (200). A running job is marked cancelRequested (202): its runner stops at its "
                + "next stage (after probing, decoding, each tenth of encoding) and stores nothing; once its video is stored it finishes "
                + "instead. Canceling a canceled job again answers 200; a job that succeeded or failed answers 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{id:guid}/retry", RetryAsync)
            .WithName("RetryJob")
            .WithSummary("Run a failed or canceled job again")
            .WithDescription("Queues the job again (202) with the upload it kept (Ingest:FailedUploadRetentionSeconds). 409 when the job has not "
                + "ended, has succeeded, or its file is being ingested or was stored by another job; 410 once its upload is swept.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);
        return app;
    }

    public static async Task<Ok<PageResponse<JobResponse>>> ListAsync(
        JobRepository jobs, CancellationToken cancellationToken,
        [Description("Only jobs in this state (all when absent)."), EnumValues(typeof(JobState))] string? state = null,
        [Description("1-based page number")] int page = 1, [Description("Items per page (1..200)")] int pageSize = 20)
    {
        var filter = ParseState(state);
        RequestValidation.Range(page, 1, int.MaxValue / 200, "page");
        RequestValidation.Range(pageSize, 1, 200, "pageSize");
        var (items, total) = await jobs.ListAsync(filter, page, pageSize, cancellationToken);
        return TypedResults.Ok(new PageResponse<JobResponse>(items.Select(JobResponse.From).ToList(), total, page, pageSize));
    }

    public static async Task<Ok<JobResponse>> GetAsync(Guid id, JobRepository jobs, CancellationToken cancellationToken) =>
        TypedResults.Ok(JobResponse.From(await jobs.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Job", id)));

    public static async Task<Results<Ok<JobResponse>, Accepted<JobResponse>>> CancelAsync(Guid id, JobControl control, CancellationToken cancellationToken)
    {
        var (job, ended) = await control.CancelAsync(id, cancellationToken);
        return ended ? TypedResults.Ok(JobResponse.From(job)) : TypedResults.Accepted($"/api/jobs/{id}", JobResponse.From(job));
    }

    public static async Task<Accepted<JobResponse>> RetryAsync(Guid id, JobControl control, CancellationToken cancellationToken) =>
        TypedResults.Accepted($"/api/jobs/{id}", JobResponse.From(await control.RetryAsync(id, cancellationToken)));

    // Matched by name only: Enum.TryParse would also take numbers such as "1".
    private static JobState? ParseState(string? state) => string.IsNullOrWhiteSpace(state)
        ? null
        : Enum.GetValues<JobState>().Cast<JobState?>().FirstOrDefault(s => string.Equals(s.ToString(), state.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw ApiException.Validation($"Unknown job state '{state}'. Use queued, running, succeeded, failed or canceled.");
}
