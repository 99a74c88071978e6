using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Iamport.Danal.PackageTests;

/// <summary>
/// <c>dotnet pack</c> of both packages into a temporary folder (Release, package validation on), and what a user
/// downloads: icon, README for nuget.org, symbols. Slow (it builds both packages): <c>--filter Category!=Pack</c> skips it.
/// </summary>
[Category("Pack")]
public class PackTests
{
    private static readonly string[] Packages = ["Iamport.Danal", "Iamport.Danal.Testing"];

    private string _output = "";

    /// <summary>The README's local feed, which its Install commands pack into and add as a source.</summary>
    private const string ReadmeFeed = "~/iamport-feed";

    [OneTimeSetUp]
    public async Task PackBothPackages()
    {
        // The README's own pack command (Install), into a temporary folder instead of its feed.
        _output = Directory.CreateTempSubdirectory("iamport-pack-").FullName;
        string pack = InstallCommands(block => block.Contains("dotnet pack", StringComparison.Ordinal)).Single(c => c.StartsWith("dotnet pack", StringComparison.Ordinal));
        Assert.That(Packages.Select(p => $"dotnet pack src/{p} -c Release -o {ReadmeFeed}"), Has.All.Matches<string>(pack.Contains), pack);

        (int exit, string log) = await BashAsync(Repository.Root, pack.Replace(ReadmeFeed, _output, StringComparison.Ordinal), new());
        Assert.That(exit, Is.Zero, $"{pack} failed (package validation and the API analyzer run here):\n{log}");
    }

    [Test]
    public async Task Readme_InstallFromTheLocalFeed_AddsBothPackagesAndBuilds()
    {
        // A consumer on a machine that never saw the packages: its own home (where the feed is), an empty package cache.
        string root = Directory.CreateTempSubdirectory("iamport-consumer-").FullName;
        try
        {
            string home = Directory.CreateDirectory(Path.Combine(root, "home")).FullName;
            Directory.CreateSymbolicLink(Path.Combine(home, "iamport-feed"), _output);
            string project = Directory.CreateDirectory(Path.Combine(root, "Shop")).FullName;
            File.WriteAllText(Path.Combine(project, "Shop.csproj"), """
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework><Nullable>enable</Nullable></PropertyGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(project, "Program.cs"), """
                await using var fake = new Iamport.Danal.Testing.FakeIamport();
                System.Console.WriteLine(typeof(Iamport.Danal.IamportClient).Assembly.GetName().Version);
                """);
            var environment = new System.Collections.Generic.Dictionary<string, string>
            {
                ["HOME"] = home,
                ["NUGET_PACKAGES"] = Path.Combine(root, "packages"),
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
            };

            // The feed's source first, then the Install block's add commands, each exactly as written.
            string[] commands =
            [
                .. InstallCommands(block => block.Contains("dotnet pack", StringComparison.Ordinal)).Where(c => !c.StartsWith("dotnet pack", StringComparison.Ordinal)),
                .. InstallCommands(block => block.Contains("dotnet add package", StringComparison.Ordinal)),
                "dotnet build -nologo -v q",
            ];
            Assert.That(commands, Has.Some.Contains("Iamport.Danal.Testing").And.Some.Contains("nuget add source"));
            foreach (string command in commands)
            {
                (int exit, string log) = await BashAsync(project, command, environment);
                Assert.That(exit, Is.Zero, $"`{command}` in a consumer project failed:\n{log}");
            }

            string csproj = File.ReadAllText(Path.Combine(project, "Shop.csproj"));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(csproj, Does.Contain("\"Iamport.Danal\" Version=\"1.0.0-rc.1\""));
                Assert.That(csproj, Does.Contain("\"Iamport.Danal.Testing\" Version=\"1.0.0-rc.1\""));
                Assert.That(Directory.Exists(Path.Combine(root, "packages", "iamport.danal", "1.0.0-rc.1")), Is.True, "restored from the local feed");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [OneTimeTearDown]
    public void DeleteOutput() => Directory.Delete(_output, recursive: true);

    [TestCase("Iamport.Danal", TestName = "Nupkg_Library_HasIconReadmeAndBothFrameworks")]
    [TestCase("Iamport.Danal.Testing", TestName = "Nupkg_Testing_HasIconReadmeAndBothFrameworks")]
    public void Nupkg_Contents_AsPublished(string package)
    {
        using ZipArchive nupkg = ZipFile.OpenRead(Single(package, ".nupkg"));
        string nuspec = Read(nupkg, package + ".nuspec");
        string readmeName = Regex.Match(nuspec, "<readme>([^<]+)</readme>").Groups[1].Value;
        string readme = Read(nupkg, readmeName);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(nuspec, Does.Contain("<icon>icon.png</icon>"));
            Assert.That(nupkg.GetEntry("icon.png")?.Length, Is.GreaterThan(0));
            Assert.That(readmeName, Is.Not.Empty);
            // nuget.org cannot follow links into the repository: every path must be a full URL.
            Assert.That(Regex.Matches(readme, @"(?<![\w/.:-])(src|tests|samples|shared)/[\w./-]+").Select(m => m.Value), Is.Empty, "repository-relative paths in the packaged README");
            Assert.That(nupkg.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal)).Select(e => e.FullName), Has.All.StartWith("lib/"));
            Assert.That(nupkg.Entries.Any(e => e.FullName.EndsWith(".pdb", StringComparison.Ordinal)), Is.False, "symbols go to the .snupkg");
        }
    }

    [Test]
    public void Nupkg_Testing_ServesNet8AndNet10WithTheirTestServer()
    {
        using ZipArchive nupkg = ZipFile.OpenRead(Single("Iamport.Danal.Testing", ".nupkg"));
        string nuspec = Read(nupkg, "Iamport.Danal.Testing.nuspec");

        using (Assert.EnterMultipleScope())
        {
            // A net8.0 shop can test against the fake, each framework with the test server of its ASP.NET Core release.
            Assert.That(nupkg.GetEntry("lib/net8.0/Iamport.Danal.Testing.dll"), Is.Not.Null);
            Assert.That(nupkg.GetEntry("lib/net10.0/Iamport.Danal.Testing.dll"), Is.Not.Null);
            Assert.That(nuspec, Does.Match("""<group targetFramework="net8.0">\s*<dependency id="Microsoft.AspNetCore.TestHost" version="8\."""));
            Assert.That(nuspec, Does.Match("""<group targetFramework="net10.0">\s*<dependency id="Microsoft.AspNetCore.TestHost" version="10\."""));
        }
    }

    [TestCase("Iamport.Danal", 2, TestName = "Snupkg_Library_HasAPdbPerFramework")]
    [TestCase("Iamport.Danal.Testing", 2, TestName = "Snupkg_Testing_HasAPdbPerFramework")]
    public void Snupkg_Contents_HavePortablePdbs(string package, int frameworks)
    {
        using ZipArchive snupkg = ZipFile.OpenRead(Single(package, ".snupkg"));

        string[] pdbs = snupkg.Entries.Where(e => e.FullName.EndsWith(package + ".pdb", StringComparison.Ordinal)).Select(e => e.FullName).ToArray();
        Assert.That(pdbs, Has.Length.EqualTo(frameworks), string.Join(", ", snupkg.Entries.Select(e => e.FullName)));
    }

    [TestCase("Iamport.Danal", TestName = "Csproj_Library_ValidatesPackageAndShipsItsPublicApi")]
    [TestCase("Iamport.Danal.Testing", TestName = "Csproj_Testing_ValidatesPackageAndShipsItsPublicApi")]
    public async Task Csproj_Packaging_IsConfigured(string package)
    {
        (int exit, string properties) = await Repository.DotnetAsync("msbuild", $"src/{package}/{package}.csproj", "-getProperty:EnablePackageValidation");
        Assert.That(exit, Is.Zero, properties);
        string[] shippedLines = File.ReadAllLines(Repository.PathOf($"src/{package}/PublicAPI.Shipped.txt"));
        string[] unshippedLines = File.ReadAllLines(Repository.PathOf($"src/{package}/PublicAPI.Unshipped.txt"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties.Trim(), Is.EqualTo("true"), "EnablePackageValidation");
            // One baseline per package: the surfaces of netstandard2.0 and net10.0 are the same.
            Assert.That(shippedLines, Has.Some.StartsWith(package + "."), "the API is declared shipped");
            Assert.That(unshippedLines.Where(l => l.Length > 0 && !l.StartsWith('#')), Is.Empty, "a released surface: nothing unshipped");
        }
    }

    [TestCase("Iamport.Danal", TestName = "Csproj_Library_LaterVersionsValidateAgainstTheShippedRelease")]
    [TestCase("Iamport.Danal.Testing", TestName = "Csproj_Testing_LaterVersionsValidateAgainstTheShippedRelease")]
    public async Task Csproj_LaterVersions_ValidateAgainstTheShippedRelease(string package)
    {
        string csproj = $"src/{package}/{package}.csproj";
        (int exit, string at) = await Repository.DotnetAsync("msbuild", csproj, "-getProperty:PackageValidationBaselineVersion", "-getProperty:Version");
        (int laterExit, string later) = await Repository.DotnetAsync("msbuild", csproj, "-getProperty:PackageValidationBaselineVersion", "-p:VersionPrefix=1.0.1", "-p:VersionSuffix=");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit + laterExit, Is.Zero, at + later);
            Assert.That(at, Does.Contain("\"Version\": \"1.0.0-rc.1\"").And.Contain("\"PackageValidationBaselineVersion\": \"\""), "the release itself has no baseline");
            Assert.That(later.Trim(), Is.EqualTo("1.0.0-rc.1"), "a later version is compared with the shipped release");
        }
    }

    [Test]
    public async Task Build_PublicMemberNotInTheBaseline_FailsWithRS0016()
    {
        // One more public type, compiled into the library through MSBuild's standard hook, into a separate folder.
        string dir = Directory.CreateTempSubdirectory("iamport-api-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Undeclared.cs"), "namespace Iamport.Danal;\n/// <summary>Not in the baseline.</summary>\npublic static class UndeclaredApi { /// <summary>Nor this.</summary>\npublic static int Answer() => 42; }\n");
            File.WriteAllText(Path.Combine(dir, "extra.targets"), $"<Project><ItemGroup><Compile Include=\"{Path.Combine(dir, "Undeclared.cs")}\" /></ItemGroup></Project>");

            (int exit, string log) = await Repository.DotnetAsync(
                "build", "src/Iamport.Danal/Iamport.Danal.csproj", "-f", "net10.0", "-c", "Release", "--no-restore", "-nologo", "-v", "q",
                $"-p:CustomAfterMicrosoftCSharpTargets={Path.Combine(dir, "extra.targets")}",
                $"-p:IntermediateOutputPath={Path.Combine(dir, "obj")}/", $"-p:OutputPath={Path.Combine(dir, "bin")}/");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(exit, Is.Not.Zero, log);
                Assert.That(log, Does.Contain("RS0016").And.Contain("UndeclaredApi"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The command lines of the README's Install bash blocks that <paramref name="which"/> picks, comments removed.</summary>
    private static string[] InstallCommands(Func<string, bool> which)
    {
        string readme = File.ReadAllText(Repository.PathOf("README.md"));
        string install = readme[readme.IndexOf("\n## Install\n", StringComparison.Ordinal)..];
        install = install[..install.IndexOf("\n## ", 1, StringComparison.Ordinal)];
        return Regex.Matches(install, "```bash\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).Where(which)
            .SelectMany(block => block.Split('\n'))
            .Select(line => Regex.Replace(line, @"\s+#.*$", "").Trim())
            .Where(line => line.Length > 0)
            .ToArray();
    }

    private static async Task<(int ExitCode, string Output)> BashAsync(string directory, string command, System.Collections.Generic.Dictionary<string, string> environment)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private string Single(string package, string extension)
    {
        string[] files = Directory.GetFiles(_output, package + ".*" + extension).Where(f => Regex.IsMatch(Path.GetFileName(f), "^" + Regex.Escape(package) + @"\.\d")).ToArray();
        Assert.That(files, Has.Length.EqualTo(1), string.Join(", ", Directory.GetFiles(_output)));
        return files[0];
    }

    private static string Read(ZipArchive archive, string name)
    {
        ZipArchiveEntry entry = archive.GetEntry(name) ?? throw new AssertionException($"{name} is not in the package");
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
