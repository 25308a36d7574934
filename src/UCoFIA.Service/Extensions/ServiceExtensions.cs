using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using UCoFIA.Service.Apis;
using UCoFIA.Service.Callbacks;
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
    /// <summary>The key of the <see cref="FeatureRepository"/> whose reads go where <see cref="SearchConnections"/> sends them.</summary>
    private const string SearchReads = "search";

    public static WebApplicationBuilder AddUCoFIAServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddGallery(DataSourceFactory.ServiceApplicationName);
        // Registered first so the schema exists and the gallery is bound before the job runner starts.
        builder.Services.AddHostedService<DatabaseMigrationService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ModelWorker>());
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section);
        // Uploads are streamed by UploadReader, which enforces Ingest:MaxUploadBytes itself; Kestrel's 30 MB default would cut them first.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
        builder.AddPipeline();
        builder.Services.AddJobControl();
        builder.AddTelemetry();
        builder.AddApiDocumentation();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = FrameworkProblemTypes.Apply);
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("postgres", tags: ["ready"])
            .AddCheck<ModelReadyCheck>("model", tags: ["ready"]);
        builder.AddEdgeOptions();
        return builder;
    }

    /// <summary>
    /// What the service and <c>ucofia reindex</c> (<see cref="ReindexHost"/>) share: one options class per section,
    /// storage, the model worker (not started: each host adds it as a hosted service in its own order), video
    /// encoding, the kept originals and the online Sinkhorn–Knopp fits.
    /// </summary>
    /// <param name="applicationName">What the database connections are called in pg_stat_activity.</param>
    public static IServiceCollection AddGallery(this IServiceCollection services, string applicationName)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => DataSourceFactory.Create(PrimaryConnectionString(sp), applicationName));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<GalleryModel>();
        services.AddSingleton<VideoRepository>();
        services.AddSingleton(sp => new FeatureRepository(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), ExactRecallThreshold(sp)));
        services.AddSingleton<CaptionRepository>();
        services.AddSingleton<JobRepository>();
        services.AddSingleton<SkFitRepository>();
        services.AddSingleton<GalleryChanges>();
        services.AddSingleton<ThumbnailRepository>();
        services.AddSingleton<ReindexRepository>();
        services.AddSingleton<ModelWorker>();
        services.AddSingleton<FeatureCache>();
        services.AddSingleton<SinkhornBias>();
        services.AddSingleton<CaptionSinkhornBias>();
        services.AddSingleton<OriginalStore>();
        services.AddSingleton<VideoEncoder>();
        return services;
    }

    private static string PrimaryConnectionString(IServiceProvider sp) =>
        sp.GetRequiredService<IConfiguration>().GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not configured.");

    private static int ExactRecallThreshold(IServiceProvider sp) =>
        sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SearchOptions>>().Value.ExactRecallThreshold;

    /// <summary>
    /// Searches read from the standbys in ConnectionStrings:PostgresReadReplicas, when there are any, once they have
    /// replayed the newest write (<see cref="SearchConnections"/>); everything else, ingestion's reads included,
    /// stays on the primary.
    /// </summary>
    private static void AddSearchReads(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var replicas = sp.GetRequiredService<IConfiguration>().GetConnectionString("PostgresReadReplicas");
            return new SearchConnections(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), string.IsNullOrWhiteSpace(replicas)
                ? null
                : DataSourceFactory.CreateStandbys(replicas, PrimaryConnectionString(sp), DataSourceFactory.ServiceApplicationName));
        });
        services.AddKeyedSingleton(SearchReads, (sp, _) => new FeatureRepository(sp.GetRequiredService<SearchConnections>(), ExactRecallThreshold(sp)));
        services.AddSingleton(SearchReader<CandidateStore>);
        services.AddSingleton(SearchReader<VideoSearch>);
        services.AddSingleton(SearchReader<CaptionSearch>);
    }

    /// <summary>A search service whose feature reads go where <see cref="SearchConnections"/> sends them.</summary>
    private static T SearchReader<T>(IServiceProvider sp) =>
        ActivatorUtilities.CreateInstance<T>(sp, sp.GetRequiredKeyedService<FeatureRepository>(SearchReads));

    private static void AddPipeline(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSearchReads();
        services.AddSingleton<CaptionGallery>();
        services.AddSingleton<PatchWordExplainer>();
        services.AddSingleton<FrameThumbnails>();
        services.AddSingleton<Gallery>();
        services.AddSingleton<RequestValidation>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<Security.MediaTokens>();
        services.AddSingleton<MediaUrls>();
        services.AddSingleton<UploadReader>();
        services.AddSingleton<UploadEncoding>();
        services.AddSingleton<UploadStore>();
        services.AddSingleton<UploadIntake>();
        services.AddSingleton<IngestionJobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionJobRunner>());
        services.AddHostedService<GalleryChangeListener>();
        services.AddHostedService<FeatureCacheWarmer>(); // after the migrations: it reads the gallery's tables
    }

    /// <summary>Cancel, retry, the sweep of kept uploads, and the job-end callbacks with their sender.</summary>
    private static void AddJobControl(this IServiceCollection services)
    {
        services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<JobControl>();
        services.AddHostedService<UploadSweeper>();
        services.AddSingleton<CallbackRepository>();
        services.AddSingleton<CallbackUrlPolicy>();
        // An allowed host must not be able to send the service on to one that is not: no redirects.
        services.AddHttpClient(CallbackSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddHostedService<CallbackSender>();
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

    /// <summary>Rate limiting and CORS, each off unless its section is configured (then added to the pipeline by <see cref="MapUCoFIAEndpoints"/>).</summary>
    private static void AddEdgeOptions(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<CrossOriginOptions>().BindConfiguration(CrossOriginOptions.Section);
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitingOptions>>((o, l) => Security.RequestRateLimits.Configure(o, l.Value));
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<CrossOriginOptions>>((o, c) => o.AddDefaultPolicy(p => p
                .WithOrigins(c.Value.AllowedOrigins)
                .AllowAnyMethod()
                .AllowAnyHeader()
                .WithExposedHeaders("Location", "Retry-After", "Content-Range", "Accept-Ranges")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
    }

    private static void AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(o =>
        {
            o.SchemaFilter<RequestExamples>();
            o.SchemaFilter<EnumValueSchemas>();
            o.OperationFilter<MultipartFormBodies>();
            o.OperationFilter<ProblemResponses>();
            o.OperationFilter<ApiKeyRequirements>();
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "UCoFIA.Service",
                Version = "v1",
                Description = "Video–text search with Unified Coarse-to-Fine Alignment (ICCV 2023): upload videos, search them by text, "
                    + "look up captions for a video. Errors are RFC 9457 problem details with a stable 'type'.",
            });
            o.AddSecurityDefinition(ApiKeyRequirements.ApiKeyScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = Security.ApiKeyMiddleware.Header,
                Description = "Required on /api routes when Auth:ApiKey is configured.",
            });
            o.AddSecurityDefinition(ApiKeyRequirements.MediaTokenScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Query,
                Name = Security.MediaTokens.QueryName,
                Description = "Instead of the key on a video's media (original, frame thumbnails): the token in the URLs the API hands out.",
            });
        });
    }

    public static WebApplication MapUCoFIAEndpoints(this WebApplication app)
    {
        // First, so that a preflight is answered before the key is asked for and every answer carries the headers.
        if (app.Services.GetRequiredService<IOptions<CrossOriginOptions>>().Value.Enabled)
        {
            app.UseCors();
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before the key check, so that guessing keys is limited too.
        if (app.Services.GetRequiredService<IOptions<RateLimitingOptions>>().Value.Enabled)
        {
            app.UseRateLimiter();
        }
        app.UseMiddleware<Security.ApiKeyMiddleware>();
        app.UseMiddleware<Security.RequestBodyLimitMiddleware>();
        app.UseBrowserUi();
        app.UseSwagger();
        app.UseSwaggerUI(o => o.DocumentTitle = "UCoFIA.Service");
        app.MapHealthChecks("/health/live", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = HealthJson.WriteAsync,
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
