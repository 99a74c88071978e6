using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Internal;

/// <summary>
/// Validates <see cref="IamportOptions"/> at start-up and reports every broken setting at once, each named by its
/// configuration key: <c>Iamport:ImpSecret</c>, or <c>Iamport:shopA:ImpSecret</c> for the merchant registered as <c>shopA</c>.
/// </summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the generated one needs DataAnnotations on netstandard2.0,
/// and the Pg rule is not an attribute.</remarks>
internal sealed class IamportOptionsValidator(MerchantRegistrations registrations) : IValidateOptions<IamportOptions>
{
    public ValidateOptionsResult Validate(string? name, IamportOptions options)
    {
        var result = new ValidateOptionsResultBuilder();
        foreach (string error in Errors(options, KeyPrefix(name)))
        {
            result.AddError(error);
        }

        if (registrations.Conflict(name ?? Options.DefaultName) is { } conflict)
        {
            result.AddError(conflict);
        }

        return result.Build();
    }

    /// <summary>The configuration key prefix of a registration: <c>Iamport:</c>, or <c>Iamport:{name}:</c> for a keyed merchant.</summary>
    internal static string KeyPrefix(string? name) =>
        string.IsNullOrEmpty(name) ? IamportOptions.SectionName + ":" : IamportOptions.SectionName + ":" + name + ":";

    /// <summary>Every broken setting, one message each; empty when the options are valid.</summary>
    internal static IEnumerable<string> Errors(IamportOptions options, string prefix)
    {
        if (string.IsNullOrWhiteSpace(options.ImpKey))
        {
            yield return $"{prefix}{nameof(IamportOptions.ImpKey)} is required: the REST API key (imp_key) from the I'mport console.";
        }

        if (string.IsNullOrWhiteSpace(options.ImpSecret))
        {
            yield return $"{prefix}{nameof(IamportOptions.ImpSecret)} is required: the REST API secret (imp_secret) from the I'mport console.";
        }

        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri)
        {
            yield return $"{prefix}{nameof(IamportOptions.BaseAddress)} must be an absolute URL.";
        }

        string? pg = IamportSettings.ResolvePg(options);
        if (string.IsNullOrWhiteSpace(options.ChannelKey) == (pg is null))
        {
            yield return $"Set exactly one of {prefix}{nameof(IamportOptions.ChannelKey)} (recommended: the channel's 채널 키 from the PortOne console, 결제 연동 → 연동 정보 → 채널 관리) and {prefix}{nameof(IamportOptions.Pg)}; "
                + (pg is null ? "neither is set." : "both are set.");
        }
        else if (!string.IsNullOrWhiteSpace(options.ChannelKey))
        {
            if (options.ChannelKey!.Length > DanalRules.ChannelKeyMaxLength || !RouteRules.IsIdentifier(options.ChannelKey))
            {
                yield return $"{prefix}{nameof(IamportOptions.ChannelKey)} must be at most {DanalRules.ChannelKeyMaxLength} characters of A-Z, a-z, 0-9, '_' and '-'.";
            }
        }
        else if (!DanalRules.IsDanalPg(pg))
        {
            yield return $"{prefix}{nameof(IamportOptions.Pg)} must be \"danal_tpay\" or \"danal_tpay.{{CPID}}\" with a CPID of A-Z, a-z, 0-9, '_' and '-'.";
        }

        if (options.SendChannelKeyWithCharges && string.IsNullOrWhiteSpace(options.ChannelKey))
        {
            yield return $"{prefix}{nameof(IamportOptions.SendChannelKeyWithCharges)} needs {prefix}{nameof(IamportOptions.ChannelKey)}: it sends that key as channel_key with charges and schedules.";
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            yield return $"{prefix}{nameof(IamportOptions.Timeout)} must be positive.";
        }

        if (options.ReconciliationWindow < TimeSpan.Zero)
        {
            yield return $"{prefix}{nameof(IamportOptions.ReconciliationWindow)} must not be negative.";
        }

        if (options.NotChargedSettlePeriod < TimeSpan.Zero)
        {
            yield return $"{prefix}{nameof(IamportOptions.NotChargedSettlePeriod)} must not be negative.";
        }

        if (options.MaxResponseBytes < 1024)
        {
            yield return $"{prefix}{nameof(IamportOptions.MaxResponseBytes)} must be at least 1024.";
        }

        if (options.TokenRefreshMargin < TimeSpan.Zero || options.TokenRefreshMargin >= TimeSpan.FromMinutes(30))
        {
            yield return $"{prefix}{nameof(IamportOptions.TokenRefreshMargin)} must be between 0 and 30 minutes (a token lives 30 minutes).";
        }
    }

    /// <summary>For the <see cref="IamportClient"/> constructor: every broken setting in one <see cref="ArgumentException"/>.</summary>
    internal static void ThrowIfInvalid(IamportOptions options, string paramName)
    {
        string message = string.Join(" ", Errors(options, KeyPrefix(null)));
        if (message.Length != 0)
        {
            throw new ArgumentException(message, paramName);
        }
    }
}
