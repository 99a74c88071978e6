#if LIBRARY_NETSTANDARD
using System;
using System.Reflection;

namespace Iamport.Danal.Tests.Checkout;

/// <summary>Lets the netstandard2.0 build of the library find <c>TimeProvider</c> when run on net10.0.</summary>
/// <remarks>
/// That build references <c>Microsoft.Bcl.TimeProvider</c>, whose net8.0+ assembly only forwards to the BCL type. NuGet
/// restores the test project's references for net10.0, where the library needs no such package, so the assembly is not
/// deployed. A real netstandard2.0 consumer gets it through the package graph; this resolver stands in for it here.
/// The right fix is a conditional <c>Microsoft.Bcl.TimeProvider</c> reference in <c>Tests.props</c>.
/// </remarks>
[SetUpFixture]
public sealed class NetStandardTimeProviderFixture
{
    [OneTimeSetUp]
    public void ResolveBclTimeProvider() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    [OneTimeTearDown]
    public void Stop() => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args) =>
        new AssemblyName(args.Name).Name == "Microsoft.Bcl.TimeProvider" ? typeof(TimeProvider).Assembly : null;
}
#endif
