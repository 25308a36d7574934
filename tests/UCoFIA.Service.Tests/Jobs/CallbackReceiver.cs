using System.Net;
using System.Threading.Channels;

namespace UCoFIA.Service.Tests.Jobs;

/// <summary>One callback as the receiver got it: the raw body and the headers that matter.</summary>
public sealed record ReceivedCallback(byte[] Body, string? Signature, string? Delivery, string? Timestamp, string? ContentType);

/// <summary>
/// A callback receiver on loopback (HttpListener on 127.0.0.1 and a free port): records each request and answers with
/// the next status of a script (200 once the script is used up).
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<HttpStatusCode> _script;
    private readonly Channel<ReceivedCallback> _received = Channel.CreateUnbounded<ReceivedCallback>();
    private readonly Task _loop;

    /// <param name="port">Where to listen (<see cref="UrlAt"/> names the URL before the receiver exists).</param>
    public CallbackReceiver(int port, params HttpStatusCode[] script)
    {
        _script = new Queue<HttpStatusCode>(script);
        Url = UrlAt(port);
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = ServeAsync();
    }

    public string Url { get; }

    public static string UrlAt(int port) => $"http://127.0.0.1:{port}/hooks/ucofia/";

    /// <summary>The next request received, in order.</summary>
    public async Task<ReceivedCallback> NextAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        return await _received.Reader.ReadAsync(deadline.Token);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers;
            await _received.Writer.WriteAsync(new ReceivedCallback(body.ToArray(), headers["X-UCoFIA-Signature"], headers["X-UCoFIA-Delivery"],
                headers["X-UCoFIA-Timestamp"], context.Request.ContentType));
            context.Response.StatusCode = (int)(_script.TryDequeue(out var status) ? status : HttpStatusCode.OK);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: it stops the listener too, and the managed HttpListener's Close after a Stop looks the endpoint
        // up again, binding the free port a second time; once a CI run had handed that port on meanwhile, and
        // dispose failed with "Address already in use".
        _listener.Close();
        await _loop;
    }
}
