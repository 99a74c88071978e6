using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing.Tests.Server;

/// <summary>Three independent npm clients (<c>iamporter</c>, <c>iamport</c>, <c>iamport-rest-client-nodejs</c>) run
/// <c>tests/Iamport.Danal.Testing.Tests/Server/NpmClients/clients.js</c> against the standalone fake; the script lists the calls.</summary>
[Parallelizable(ParallelScope.Self)]
public class NpmClientTests
{
    [Test]
    [CancelAfter(600_000)]
    public async Task NpmClients_AgainstTheStandaloneFake_EveryCallPasses(CancellationToken cancellationToken)
    {
        var node = FindOnPath("node");
        var npm = FindOnPath("npm");
        if (node is null || npm is null)
        {
            const string Message = "node and npm are needed (Debian: apt-get install nodejs npm; or https://nodejs.org).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(Message);
            }

            Assert.Ignore(Message);
        }

        var project = await InstalledProjectAsync(npm!, cancellationToken);
        await using var fake = await StandaloneFake.StartAsync(["--imp-key", "npm_key", "--imp-secret", "npm_secret", "--billing-key", "cust_1", "--billing-key", "cust_2:decline"], cancellationToken);

        var (exitCode, output) = await RunAsync(node!, project, ["clients.js", fake.Address.ToString(), "npm_key", "npm_secret"], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("ok iamporter").And.Contain("ok iamport\n").And.Contain("ok iamport-rest-client-nodejs"), output);
            Assert.That(output, Does.Contain("rest-client: Subscribe.getScheduleds").And.Contain("iamporter: paySubscription (again)"), output);
        }
    }

    /// <summary>A copy of the Node project in a temp folder keyed by its lock file, installed with <c>npm ci</c> once.</summary>
    private static async Task<string> InstalledProjectAsync(string npm, CancellationToken cancellationToken)
    {
        var source = Path.Combine(RepositoryRoot(), "tests", "Iamport.Danal.Testing.Tests", "Server", "NpmClients");
        var lockFile = await File.ReadAllBytesAsync(Path.Combine(source, "package-lock.json"), cancellationToken);
        var script = await File.ReadAllBytesAsync(Path.Combine(source, "clients.js"), cancellationToken);
        var key = Convert.ToHexStringLower(SHA256.HashData(lockFile))[..16];
        var target = Path.Combine(Path.GetTempPath(), "iamport-danal-npm-clients-" + key);
        Directory.CreateDirectory(target);
        foreach (var file in new[] { "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(source, file), Path.Combine(target, file), overwrite: true);
        }

        await File.WriteAllBytesAsync(Path.Combine(target, "clients.js"), script, cancellationToken);
        if (!Directory.Exists(Path.Combine(target, "node_modules", "iamport-rest-client-nodejs")))
        {
            var (exitCode, output) = await RunAsync(npm, target, ["ci", "--no-audit", "--no-fund"], cancellationToken);
            Assert.That(exitCode, Is.Zero, "npm ci failed:\n" + output);
        }

        return target;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Iamport.Danal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (Iamport.Danal.sln) is not above " + AppContext.BaseDirectory);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, OperatingSystem.IsWindows() ? name + ".cmd" : name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string directory, string[] args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
