using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iamport.Danal.Internal;

/// <summary>
/// Every <c>AddIamport</c> call's settings, by merchant name, so that a second call for one merchant with different
/// settings fails at start instead of silently winning (options would merge the calls, property by property).
/// </summary>
internal sealed class IamportRegistrations
{
    private readonly List<KeyValuePair<string, Action<IamportOptions>>> _calls = [];

    public void Add(string name, Action<IamportOptions> configure) => _calls.Add(new(name, configure));

    /// <summary>The error for <paramref name="name"/> when it was registered more than once with settings that differ, else <see langword="null"/>.</summary>
    public string? Conflict(string name)
    {
        string? first = null;
        int calls = 0;
        foreach (KeyValuePair<string, Action<IamportOptions>> call in _calls)
        {
            if (call.Key != name)
            {
                continue;
            }

            calls++;
            // Each call's settings alone, compared whole: a property added to IamportOptions is compared without a change here.
            var options = new IamportOptions();
            call.Value(options);
            string settings = JsonSerializer.Serialize(options, RegistrationsJsonContext.Default.IamportOptions);
            first ??= settings;
            if (!string.Equals(settings, first, StringComparison.Ordinal))
            {
                string who = name.Length == 0 ? "AddIamport" : $"AddIamport(\"{name}\", …)";
                return $"{IamportOptionsValidator.KeyPrefix(name)} {who} was called {Count(name)} times with different settings. " +
                    "Call it once per merchant; register several merchants each under its own name with AddIamport(name, …).";
            }
        }

        return null;
    }

    private int Count(string name) => _calls.FindAll(c => c.Key == name).Count;
}

/// <summary>Serializes options only to compare two registrations; the text is never written anywhere.</summary>
[JsonSerializable(typeof(IamportOptions))]
internal sealed partial class RegistrationsJsonContext : JsonSerializerContext;
