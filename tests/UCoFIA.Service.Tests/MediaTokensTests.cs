using UCoFIA.Service.Options;
using UCoFIA.Service.Security;

namespace UCoFIA.Service.Tests;

public sealed class MediaTokensTests
{
    private static readonly Guid Video = Guid.NewGuid();

    [Fact]
    public void IsValid_TokenPastItsLifetime_IsRefused()
    {
        var clock = new SettableClock();
        var tokens = new MediaTokens(Microsoft.Extensions.Options.Options.Create(new AuthOptions { ApiKey = "k", MediaTokenSeconds = 60 }), clock);
        var token = tokens.Issue(Video);

        clock.Now += TimeSpan.FromSeconds(59);
        Assert.True(tokens.IsValid(token, Video));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.False(tokens.IsValid(token, Video));
    }

    [Fact]
    public void Issue_WithoutApiKey_GivesNoTokenAndAcceptsNone()
    {
        var tokens = new MediaTokens(Microsoft.Extensions.Options.Options.Create(new AuthOptions()), TimeProvider.System);

        Assert.Null(tokens.Issue(Video));
        Assert.False(tokens.IsValid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", Video));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("AAAA")]
    public void IsValid_Malformed_IsRefused(string token)
    {
        var tokens = new MediaTokens(Microsoft.Extensions.Options.Options.Create(new AuthOptions { ApiKey = "k" }), TimeProvider.System);

        Assert.False(tokens.IsValid(token, Video));
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch.AddYears(56);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
