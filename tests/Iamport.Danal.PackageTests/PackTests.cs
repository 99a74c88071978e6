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

    [OneTimeSetUp]
    public async Task PackBothPackages()
    {
        _output = Directory.CreateTempSubdirectory("iamport-pack-").FullName;
        foreach (string package in Packages)
        {
            (int exit, string log) = await Repository.DotnetAsync("pack", $"src/{package}/{package}.csproj", "-c", "Release", "-o", _output, "-v", "q", "-nologo");
            Assert.That(exit, Is.Zero, $"dotnet pack {package} failed (package validation and the API analyzer run here):\n{log}");
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
