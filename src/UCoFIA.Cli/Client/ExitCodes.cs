using System.CommandLine;

namespace UCoFIA.Cli.Client;

/// <summary>What <c>ucofia</c> exits with, so scripts can tell a typo from a service that is down (see README, "Command line").</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything not listed below; the message says what.</summary>
    public const int Failed = 1;

    /// <summary>The command line cannot be used: an unknown option, a missing argument, a --metadata that is not a JSON object, an unreadable --captions file.</summary>
    public const int Usage = 2;

    /// <summary>The service could not be reached (refused, unknown host, timed out).</summary>
    public const int CannotConnect = 3;

    /// <summary>The service refused the request (4xx); the message carries the problem's title and detail.</summary>
    public const int Rejected = 4;

    /// <summary>The service failed (5xx), still after the retries that honour Retry-After.</summary>
    public const int ServerError = 5;

    /// <summary><c>ucofia ingest</c> finished, but some files failed; each is listed with its reason.</summary>
    public const int SomeFilesFailed = 6;

    /// <summary>Runs the parsed command line; a line that does not parse exits with <see cref="Usage"/> rather than System.CommandLine's 1.</summary>
    public static async Task<int> InvokeAsync(ParseResult parsed, InvocationConfiguration? configuration = null)
    {
        var code = await parsed.InvokeAsync(configuration);
        return parsed.Errors.Count > 0 ? Usage : code;
    }
}
