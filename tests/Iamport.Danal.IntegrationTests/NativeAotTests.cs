using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Iamport.Danal.IntegrationTests;

/// <summary>The console sample published with Native AOT: no trim or AOT warnings, and the native binary charges the fake.</summary>
/// <remarks>About a minute and clang are needed, so it runs under <c>CI=true</c> (where <c>.ci/run</c> installs clang) or <c>IAMPORT_AOT=1</c>.</remarks>
public class NativeAotTests
{
    private static readonly Regex TrimOrAotWarning = new(@"warning IL[23]\d{3}", RegexOptions.CultureInvariant);

    [Test]
    [CancelAfter(600_000)]
    public async Task PublishAot_ConsoleSample_NoWarningsAndNativeBinaryCharges()
    {
        bool wanted = Environment.GetEnvironmentVariable("CI") == "true" || Environment.GetEnvironmentVariable("IAMPORT_AOT") == "1";
        if (!wanted)
        {
            Assert.Ignore("Native AOT publish takes about a minute: set IAMPORT_AOT=1 (needs clang: apt-get install -y clang); CI always runs it.");
        }

        string root = RepositoryRoot();
        string output = Path.Combine(Path.GetTempPath(), "iamport-aot-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int publishExit, string publishLog) = await RunAsync("dotnet",
                $"publish samples/Iamport.Danal.Samples.Console -c Release -r linux-x64 -o \"{output}\" -p:ContinuousIntegrationBuild=false", root);
            string binary = Path.Combine(output, "Iamport.Danal.Samples.Console");
            (int chargeExit, string chargeLog) = File.Exists(binary)
                ? await RunAsync(binary, "--customer-uid cust_1 --amount 9900", root)
                : (-1, "(no binary)");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(publishExit, Is.Zero, publishLog);
                Assert.That(publishLog, Does.Contain("Generating native code"), "the publish really was Native AOT");
                Assert.That(TrimOrAotWarning.Matches(publishLog).Select(m => m.Value), Is.Empty, publishLog);
                Assert.That(chargeExit, Is.Zero, chargeLog);
                Assert.That(chargeLog, Does.Contain("APPROVED"));
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iamport.Danal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Iamport.Danal.sln not found above the test directory.");
    }

    private static async Task<(int Exit, string Log)> RunAsync(string file, string arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
