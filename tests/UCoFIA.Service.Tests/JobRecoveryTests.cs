using Npgsql;
using UCoFIA.Model;
using UCoFIA.Storage;

namespace UCoFIA.Service.Tests;

public sealed class JobRecoveryTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    [Fact]
    public async Task Startup_JobLeftRunningByACrash_IsResumedAndSucceeds()
    {
        // The state a crash leaves behind: the schema, an upload on disk and its job claimed as 'running'.
        await using var dataSource = DataSourceFactory.Create(factory.Database.ConnectionString);
        var config = UCoFIAConfig.Load(Path.Combine(factory.ModelPath, UCoFIAModel.ConfigFile));
        await new SchemaMigrator(dataSource).MigrateAsync(config.ProjectionDim, CancellationToken.None);
        var uploads = Path.Combine(factory.DataDirectory, "uploads");
        Directory.CreateDirectory(uploads);
        var jobId = Guid.NewGuid();
        var path = Path.Combine(uploads, $"{jobId:N}.video");
        await File.WriteAllBytesAsync(path, await TestVideos.Mp4Async(90, 180, 30));
        var jobs = new JobRepository(dataSource);
        var job = await jobs.CreateAsync(new NewIngestJob(jobId, Guid.NewGuid(), "crash-test", path, "resumed", [], "{}"), CancellationToken.None);
        // Claimed by an instance that then died: its lease runs out without a renewal.
        Assert.Equal(JobState.Running, (await jobs.ClaimNextAsync("crashed-instance", TimeSpan.Zero, CancellationToken.None))!.State);

        using var client = factory.CreateClient();
        var finished = await client.WaitForJobAsync(job.Id);

        Assert.Equal("succeeded", finished.GetProperty("state").GetString());
        Assert.Equal(2, finished.GetProperty("attempts").GetInt32());
        Assert.NotNull(await new VideoRepository(dataSource).GetAsync(job.VideoId, CancellationToken.None));
        Assert.False(File.Exists(path));
        NpgsqlConnection.ClearAllPools();
    }
}
