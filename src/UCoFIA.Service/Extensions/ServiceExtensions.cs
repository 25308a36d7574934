using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.OpenApi;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UCoFIA.Service.Apis;
using UCoFIA.Service.Errors;
using UCoFIA.Service.Health;
using UCoFIA.Service.Inference;
using UCoFIA.Service.Ingestion;
using UCoFIA.Service.Options;
using UCoFIA.Service.Search;
using UCoFIA.Service.Telemetry;
using UCoFIA.Storage;

namespace UCoFIA.Service.Extensions;

public static class ServiceExtensions
{
    public static WebApplicationBuilder AddUCoFIAServices(this WebApplicationBuilder builder)
    {
        builder.AddOptions();
        builder.AddStorage();
        builder.AddPipeline();
        builder.AddTelemetry();
        builder.AddApiDocumentation();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblemTypes.Apply);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("postgres", tags: ["ready"]);
        return builder;
    }

    private static void AddOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        // Uploads are streamed by UploadReader, which enforces Ingest:MaxUploadBytes itself; Kestrel's 30 MB default would cut them first.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
    }

    private static void AddStorage(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => DataSourceFactory.Create(
            sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.")));
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<GalleryModel>();
        builder.Services.AddSingleton<VideoRepository>();
        builder.Services.AddSingleton(sp => new FeatureRepository(
            sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value.ExactRecallThreshold));
        builder.Services.AddSingleton<CaptionRepository>();
        builder.Services.AddSingleton<JobRepository>();
        builder.Services.AddSingleton<SkFitRepository>();
        builder.Services.AddSingleton<ThumbnailRepository>();
        // Registered first so the schema exists before the job runner starts.
        builder.Services.AddHostedService<DatabaseMigrationService>();
    }

    private static void AddPipeline(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ModelWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelWorker>());
        services.AddSingleton<FeatureCache>();
        services.AddSingleton<CandidateStore>();
        services.AddSingleton<SinkhornBias>();
        services.AddSingleton<CaptionSinkhornBias>();
        services.AddSingleton<CaptionGallery>();
        services.AddSingleton<VideoSearch>();
        services.AddSingleton<CaptionSearch>();
        services.AddSingleton<FrameThumbnails>();
        services.AddSingleton<Gallery>();
        services.AddSingleton<RequestValidation>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Security.MediaTokens>();
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<UploadReader>();
        services.AddSingleton<UploadEncoding>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<OriginalStore>();
        services.AddSingleton<UploadIntake>();
        services.AddSingleton<VideoEncoder>();
        services.AddSingleton<IngestionJobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionJobRunner>());
    }

    private static void AddTelemetry(this WebApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("ucofia-service"))
            .WithTracing(t => t.AddSource(ServiceTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsql())
            .WithMetrics(m => m.AddMeter(ServiceTelemetry.Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation().AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }
    }

    private static void AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SchemaFilter<RequestExamples>();
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "UCoFIA.Service",
                Version = "v1",
                Description = "Video–text search with Unified Coarse-to-Fine Alignment (ICCV 2023): upload videos, search them by text, "
                    + "look up captions for a video. Errors are RFC 7807 problem details with a stable 'type'.",
            });
            o.AddSecurityDefinition("ApiKey", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Security.ApiKeyMiddleware.Header,
                Description = "Required on /api routes when Auth:ApiKey is configured.",
            });
        });
    }

    public static WebApplication MapUCoFIAEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<Security.ApiKeyMiddleware>();
        app.UseMiddleware<Security.RequestBodyLimitMiddleware>();
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "UCoFIA.Service");
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResultStatusCodes = { [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable },
        });
        app.MapPrometheusScrapingEndpoint();
        app.MapVideosApi();
        app.MapJobsApi();
        app.MapSearchApi();
        app.MapCaptionsApi();
        app.MapFramesApi();
        app.MapEmbeddingsApi();
        return app;
    }
}
