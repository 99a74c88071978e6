using System;
using System.Reflection;
using System.Runtime.Versioning;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Net8Tests;

/// <summary>What these tests run on: the .NET 8 runtime, with the net8.0 build of the fake.</summary>
public class RuntimeTests
{
    [Test]
    public void Fake_LoadedAssembly_IsTheNet8Build()
    {
        var framework = typeof(FakeIamport).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.That(framework, Is.EqualTo(".NETCoreApp,Version=v8.0"));
    }

    [Test]
    public void Library_LoadedAssembly_IsTheNetStandardBuild()
    {
        var framework = typeof(IamportClient).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()?.FrameworkName;

        Assert.That(framework, Is.EqualTo(".NETStandard,Version=v2.0"));
    }

    [Test]
    public void Process_Runtime_IsDotNet8()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Environment.Version.Major, Is.EqualTo(8), System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
            Assert.That(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.GetName().Version?.Major, Is.EqualTo(8), "ASP.NET Core of the fake's host");
        }
    }
}
