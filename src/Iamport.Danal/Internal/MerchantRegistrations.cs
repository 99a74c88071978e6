using System;
using System.Collections.Generic;

namespace Iamport.Danal.Internal;

/// <summary>
/// Every <c>AddIamport</c> call's settings, by merchant name, so that a second call for one merchant with different
/// settings fails at start instead of silently winning (options would merge the calls, property by property).
/// </summary>
/// <remarks>Each call's settings are applied alone to fresh options and compared as <see cref="IamportSettings"/>, a
/// record: by value, every setting the client runs with.</remarks>
internal sealed class MerchantRegistrations
{
    private readonly List<KeyValuePair<string, Action<IamportOptions>>> _calls = [];

    public void Add(string name, Action<IamportOptions> configure) => _calls.Add(new(name, configure));

    /// <summary>The error for <paramref name="name"/> when it was registered more than once with settings that differ, else <see langword="null"/>.</summary>
    public string? Conflict(string name)
    {
        IamportSettings? first = null;
        foreach (KeyValuePair<string, Action<IamportOptions>> call in _calls)
        {
            if (call.Key != name)
            {
                continue;
            }

            var options = new IamportOptions();
            call.Value(options);
            IamportSettings settings = IamportSettings.From(options);
            first ??= settings;
            if (settings != first)
            {
                string who = name.Length == 0 ? "AddIamport" : $"AddIamport(\"{name}\", …)";
                return $"{IamportOptionsValidator.KeyPrefix(name)} {who} was called {_calls.FindAll(c => c.Key == name).Count} times with different settings. " +
                    "Call it once per merchant; register several merchants each under its own name with AddIamport(name, …).";
            }
        }

        return null;
    }
}
