using System.Net.Sockets;
using Npgsql;

namespace UCoFIA.Storage;

/// <summary>Storage's answer to "is this a transient database failure": an outage worth retrying, not a bad statement.</summary>
public static class DatabaseFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } => true,
        NpgsqlException n when n.InnerException is not null => IsTransient(n.InnerException),
        _ => false,
    };
}
