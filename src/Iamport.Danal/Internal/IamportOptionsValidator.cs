using System;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Internal;

/// <summary>Validates <see cref="IamportOptions"/> at start-up with messages that name the configuration key.</summary>
/// <remarks>Hand-written rather than <c>[OptionsValidator]</c>: the generated one needs DataAnnotations on netstandard2.0, and these rules are few.</remarks>
internal sealed class IamportOptionsValidator : IValidateOptions<IamportOptions>
{
    public ValidateOptionsResult Validate(string? name, IamportOptions options) =>
        Check(options) is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;

    internal static string? Check(IamportOptions options)
    {
        const string S = IamportOptions.SectionName + ":";
        if (string.IsNullOrWhiteSpace(options.ImpKey))
        {
            return $"{S}{nameof(IamportOptions.ImpKey)} is required: the REST API key (imp_key) from the I'mport console.";
        }

        if (string.IsNullOrWhiteSpace(options.ImpSecret))
        {
            return $"{S}{nameof(IamportOptions.ImpSecret)} is required: the REST API secret (imp_secret) from the I'mport console.";
        }

        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri)
        {
            return $"{S}{nameof(IamportOptions.BaseAddress)} must be an absolute URL.";
        }

        if (string.IsNullOrWhiteSpace(options.ChannelKey) == string.IsNullOrWhiteSpace(options.Pg))
        {
            return $"Set exactly one of {S}{nameof(IamportOptions.ChannelKey)} (recommended: the channel's 채널 키 from the PortOne console, 결제 연동 → 연동 정보 → 채널 관리) and {S}{nameof(IamportOptions.Pg)}; "
                + (string.IsNullOrWhiteSpace(options.Pg) ? "neither is set." : "both are set.");
        }

        try
        {
            if (options.ChannelKey is not null)
            {
                DanalRules.ChannelKey(options.ChannelKey, nameof(options.ChannelKey));
            }
            else
            {
                DanalRules.Pg(options.Pg, nameof(options.Pg));
            }
        }
        catch (ArgumentException)
        {
            return options.ChannelKey is not null
                ? $"{S}{nameof(IamportOptions.ChannelKey)} must be at most {DanalRules.ChannelKeyMaxLength} characters of A-Z, a-z, 0-9, '_' and '-'."
                : $"{S}{nameof(IamportOptions.Pg)} must be \"danal_tpay\" or \"danal_tpay.{{CPID}}\" with a CPID of A-Z, a-z, 0-9, '_' and '-'.";
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            return $"{S}{nameof(IamportOptions.Timeout)} must be positive.";
        }

        if (options.ReconciliationWindow < TimeSpan.Zero)
        {
            return $"{S}{nameof(IamportOptions.ReconciliationWindow)} must not be negative.";
        }

        if (options.TokenRefreshMargin < TimeSpan.Zero || options.TokenRefreshMargin >= TimeSpan.FromMinutes(30))
        {
            return $"{S}{nameof(IamportOptions.TokenRefreshMargin)} must be between 0 and 30 minutes (a token lives 30 minutes).";
        }

        return null;
    }
}
