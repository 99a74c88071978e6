using System;
using System.Runtime.CompilerServices;

namespace Iamport.Danal.Internal;

/// <summary>Argument guards: null and range checks of method arguments. Rules about what may be sent live in <see cref="DanalRules"/>.</summary>
internal static class Guard
{
    /// <summary>Throws <see cref="ArgumentNullException"/> when <paramref name="value"/> is null (ThrowIfNull for netstandard2.0 too).</summary>
    public static T NotNull<T>(T? value, [CallerArgumentExpression(nameof(value))] string? paramName = null)
        where T : class => value ?? throw new ArgumentNullException(paramName);

    /// <summary>Checks a page number: 1 or more.</summary>
    public static void PageNumber(int value, string paramName)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, value, "page must be 1 or more.");
        }
    }
}
