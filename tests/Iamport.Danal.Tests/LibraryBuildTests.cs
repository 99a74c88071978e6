using System.Reflection;
using System.Runtime.Versioning;

namespace Iamport.Danal.Tests;

/// <summary>Proves which build of the library this test assembly runs against: both run in CI.</summary>
public class LibraryBuildTests
{
    [Test]
    public void Library_LoadedBuild_IsTheOneThisProjectTargets()
    {
#if LIBRARY_NETSTANDARD
        const string Expected = ".NETStandard,Version=v2.0";
#else
        const string Expected = ".NETCoreApp,Version=v10.0";
#endif
        string? actual = typeof(IamportClient).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.That(actual, Is.EqualTo(Expected));
    }
}
