using System.Collections.Generic;

namespace Iamport.Danal;

/// <summary>The answer to a look-up of several ids at once: what I'mport found and which ids it did not.</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>I'mport answers HTTP 207 when only some ids are found; ids it has none of are listed in <see cref="NotFound"/>.</remarks>
public sealed class LookupResult<T>
{
    internal LookupResult(IReadOnlyList<T> found, IReadOnlyList<string> notFound)
    {
        Found = found;
        NotFound = notFound;
    }

    /// <summary>Gets the items I'mport returned.</summary>
    public IReadOnlyList<T> Found { get; }

    /// <summary>Gets the requested ids I'mport returned nothing for, in the order they were asked.</summary>
    public IReadOnlyList<string> NotFound { get; }

    /// <summary>Gets whether every requested id was found.</summary>
    public bool IsComplete => NotFound.Count == 0;
}
