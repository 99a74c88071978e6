using System;

namespace Iamport.Danal.Internal;

/// <summary>
/// The settings a client, its token cache and its checkout factory run with: a copy of <see cref="IamportOptions"/> taken
/// once, when they are built. Options are a mutable bag for the binder; a client never sees them change under it.
/// </summary>
/// <remarks>A record: two registrations of one merchant compare by value (<see cref="MerchantRegistrations"/>), and a
/// setting added to <see cref="IamportOptions"/> is added here, where the client reads it, and so compared too.</remarks>
internal sealed record IamportSettings
{
    private IamportSettings(IamportOptions options)
    {
        ImpKey = options.ImpKey;
        ImpSecret = options.ImpSecret;
        MerchantCode = options.MerchantCode;
        ChannelKey = string.IsNullOrWhiteSpace(options.ChannelKey) ? null : options.ChannelKey;
        SendChannelKeyWithCharges = options.SendChannelKeyWithCharges;
        Pg = ResolvePg(options);
        BaseAddress = options.BaseAddress;
        Tier = options.Tier;
        IncludeSandbox = options.IncludeSandbox;
        TokenRefreshMargin = options.TokenRefreshMargin;
        Timeout = options.Timeout;
        ReconciliationWindow = options.ReconciliationWindow;
        NotChargedSettlePeriod = options.NotChargedSettlePeriod;
        MaxResponseBytes = options.MaxResponseBytes;
    }

    public string ImpKey { get; }

    public string ImpSecret { get; }

    public string? MerchantCode { get; }

    /// <summary>The channel key, <see langword="null"/> when not set (blank counts as not set).</summary>
    public string? ChannelKey { get; }

    /// <summary>Whether charges and schedules send <see cref="ChannelKey"/> as <c>channel_key</c>.</summary>
    public bool SendChannelKeyWithCharges { get; }

    /// <summary>The channel key charges and schedules send (<c>channel_key</c>): <see cref="ChannelKey"/> when
    /// <see cref="SendChannelKeyWithCharges"/> is set, else <see langword="null"/> (none is sent).</summary>
    public string? ChargeChannelKey => SendChannelKeyWithCharges ? ChannelKey : null;

    /// <summary>The <c>pg</c> in effect (<see cref="ResolvePg"/>), <see langword="null"/> when the channel key decides.</summary>
    public string? Pg { get; }

    public Uri BaseAddress { get; }

    public string? Tier { get; }

    public bool IncludeSandbox { get; }

    public TimeSpan TokenRefreshMargin { get; }

    public TimeSpan Timeout { get; }

    public TimeSpan ReconciliationWindow { get; }

    public TimeSpan NotChargedSettlePeriod { get; }

    public int MaxResponseBytes { get; }

    /// <summary>Copies <paramref name="options"/> as they are now.</summary>
    public static IamportSettings From(IamportOptions options) => new(options);

    /// <summary>The one place <see cref="IamportOptions.Pg"/>'s default is decided: the value set, else
    /// <see cref="IamportOptions.DanalPg"/> when no channel key is set, else none (the channel picks the PG).</summary>
    public static string? ResolvePg(IamportOptions options) =>
        options.Pg is { } pg ? (pg.Trim().Length == 0 ? null : pg)
        : string.IsNullOrWhiteSpace(options.ChannelKey) ? IamportOptions.DanalPg : null;

    /// <summary>Never prints the key or the secret (a record's generated <c>ToString</c> would).</summary>
    public override string ToString() => $"IamportSettings {{ BaseAddress = {BaseAddress}, MerchantCode = {MerchantCode}, ChannelKey = {ChannelKey}, Pg = {Pg} }}";
}
