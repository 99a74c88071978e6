using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Iamport.Danal.PackageTests;

/// <summary>The repository this test runs from, and a way to run <c>dotnet</c> in it.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in the repository; returns the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iamport.Danal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Iamport.Danal.sln not found above " + AppContext.BaseDirectory);
    }
}
