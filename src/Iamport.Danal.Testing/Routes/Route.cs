using System;
using System.Collections.Generic;

namespace Iamport.Danal.Testing.Routes;

/// <summary>A method and a path template like <c>/payments/find/{merchant_uid}/{status}</c>, with its handler.</summary>
/// <param name="Name">The route name (one of <see cref="FakeRoutes"/>): what faults and counts are keyed by.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Template">The path template.</param>
/// <param name="RequiresToken">Whether an access token is required.</param>
/// <param name="Handler">The handler.</param>
internal sealed record Route(string Name, string Method, string Template, bool RequiresToken, RouteHandler Handler)
{
    private readonly string[] _segments = Template.Trim('/').Split('/');

    /// <summary>Matches escaped path segments; path parameters come back unescaped.</summary>
    public bool TryMatch(string method, string[] segments, out Dictionary<string, string> parameters)
    {
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.Equals(method, Method, StringComparison.Ordinal) || segments.Length != _segments.Length)
        {
            return false;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var pattern = _segments[i];
            var value = Uri.UnescapeDataString(segments[i]);
            if (pattern.StartsWith('{'))
            {
                if (value.Length == 0)
                {
                    return false;
                }

                parameters[pattern.Trim('{', '}')] = value;
            }
            else if (!string.Equals(pattern, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
