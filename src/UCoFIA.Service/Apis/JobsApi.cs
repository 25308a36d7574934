using Microsoft.AspNetCore.Http.HttpResults;
using UCoFIA.Service.Domain;
using UCoFIA.Storage;

namespace UCoFIA.Service.Apis;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/jobs").WithTags("Jobs")
            .MapGet("/{id:guid}", GetAsync)
            .WithName("GetJob")
            .WithSummary("Ingestion job status")
            .WithDescription("state is queued, running, succeeded or failed; progress runs from 0 to 1; error says why a job failed.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Ok<JobResponse>> GetAsync(Guid id, JobRepository jobs, CancellationToken cancellationToken)
    {
        var job = await jobs.GetAsync(id, cancellationToken) ?? throw new NotFoundException("Job", id);
        return TypedResults.Ok(new JobResponse(job.Id, job.State.ToString().ToLowerInvariant(), job.Progress, job.Error,
            job.VideoId, job.Attempts, job.CreatedAt, job.UpdatedAt));
    }
}
