using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using UCoFIA.Service.Options;
using UCoFIA.Storage;

namespace UCoFIA.Service.Callbacks;

/// <summary>
/// Sends the callbacks finished jobs owe, from the table, so that none is lost to a restart: each delivery is claimed
/// with a lease (one instance sends it at a time), POSTed with its signature, and on a non-2xx answer, a network error
/// or a timeout tried again with exponential backoff up to Callbacks:MaxAttempts. Redirects are not followed: an
/// allowed host must not be able to send the service on to one that is not.
/// </summary>
public sealed class CallbackSender(
    CallbackRepository deliveries, CallbackUrlPolicy policy, IHttpClientFactory clients, IOptions<CallbackOptions> options,
    ILogger<CallbackSender> logger) : BackgroundService
{
    /// <summary>The named HttpClient, registered without redirects and with the attempt timeout.</summary>
    public const string ClientName = "callbacks";

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Long enough for one attempt; a sender that dies mid-send loses the delivery to another after it.</summary>
    private TimeSpan Lease => TimeSpan.FromSeconds(2 * options.Value.TimeoutSeconds + 5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await deliveries.ClaimNextAsync(_owner, Lease, stoppingToken) is { } delivery)
                {
                    await SendAsync(delivery, stoppingToken);
                    continue;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("The callback sender failed; retrying shortly: {Message}", e.Message);
            }
            await Task.Delay(IdlePoll, stoppingToken);
        }
    }

    private async Task SendAsync(CallbackDelivery delivery, CancellationToken stoppingToken)
    {
        try
        {
            // Checked again at each attempt: a host the operator has since removed from the list is not called.
            policy.Check(delivery.Url);
        }
        catch (Domain.UnusableInputException e)
        {
            logger.LogWarning("Callback {DeliveryId} of job {JobId} is abandoned: {Reason}", delivery.Id, delivery.JobId, e.Message);
            await deliveries.AttemptFailedAsync(delivery, e.Message, retryAfter: null, stoppingToken);
            return;
        }
        var failure = await AttemptAsync(delivery, stoppingToken);
        if (failure is null)
        {
            await deliveries.DeliveredAsync(delivery, stoppingToken);
            return;
        }
        var retry = delivery.Attempts < options.Value.MaxAttempts ? options.Value.RetryDelay(delivery.Attempts) : (TimeSpan?)null;
        logger.LogWarning("Callback {DeliveryId} of job {JobId} failed (attempt {Attempt}): {Failure}; {Next}", delivery.Id, delivery.JobId,
            delivery.Attempts, failure, retry is { } delay ? $"next attempt in {delay.TotalSeconds:0.#} s" : "giving up");
        await deliveries.AttemptFailedAsync(delivery, failure, retry, stoppingToken);
    }

    /// <returns>null when the receiver answered 2xx; else why the attempt failed.</returns>
    private async Task<string?> AttemptAsync(CallbackDelivery delivery, CancellationToken stoppingToken)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(CallbackSignature.Header, CallbackSignature.Compute(options.Value.Secret ?? "", body));
        request.Headers.Add(CallbackSignature.DeliveryHeader, delivery.Id.ToString());
        request.Headers.Add(CallbackSignature.TimestampHeader, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            return response.IsSuccessStatusCode ? null : $"the receiver answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"the request failed: {e.Message}";
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"no answer within {options.Value.TimeoutSeconds} s";
        }
    }
}
