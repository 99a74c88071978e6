using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace Iamport.Danal.PackageTests;

/// <summary>
/// Every <c>```csharp</c> block of the READMEs compiles as written: each block on its own, with only its own
/// <c>using</c> lines (no implicit usings), against the library, the fake and the packages this project references.
/// A block with a <c>[Test]</c> method is also run, against the real fake.
/// </summary>
public class ReadmeTests
{
    /// <summary>The documents whose C# blocks must compile, relative to the repository root.</summary>
    internal static readonly string[] Documents = ["README.md", "src/Iamport.Danal/PACKAGE.md", "src/Iamport.Danal.Testing/README.md"];

    private static readonly Lazy<MetadataReference[]> References = new(LoadReferences);

    public static IEnumerable<TestCaseData> Blocks() =>
        Documents.SelectMany(CodeBlock.Read).Select(b => new TestCaseData(b).SetName($"Block_{b.TestName}_Compiles"));

    public static IEnumerable<TestCaseData> TestBlocks() =>
        Documents.SelectMany(CodeBlock.Read).Where(b => b.Code.Contains("[Test]", StringComparison.Ordinal))
            .Select(b => new TestCaseData(b).SetName($"Block_{b.TestName}_Passes"));

    [TestCaseSource(nameof(Blocks))]
    public void Block_AsWritten_Compiles(CodeBlock block)
    {
        (EmitResult result, _) = Compile(block);

        Diagnostic[] errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.That(errors, Is.Empty, () => block.Describe(errors));
    }

    [TestCaseSource(nameof(TestBlocks))]
    public async Task Block_WithTests_Passes(CodeBlock block)
    {
        (EmitResult result, byte[] image) = Compile(block);
        Diagnostic[] errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.That(errors, Is.Empty, () => block.Describe(errors));

        Assembly assembly = Assembly.Load(image);
        MethodInfo[] tests = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            .Where(m => m.GetCustomAttribute<TestAttribute>() is not null)
            .ToArray();
        Assert.That(tests, Is.Not.Empty);
        foreach (MethodInfo test in tests)
        {
            object fixture = Activator.CreateInstance(test.DeclaringType!)!;
            if (test.Invoke(fixture, null) is Task running)
            {
                await running;
            }
        }
    }

    [Test]
    public void Readme_TestingYourShop_IsATestBlock()
    {
        // The README's "Testing your shop" snippet is run by Block_WithTests_Passes; this keeps it from quietly
        // becoming a fragment that is only compiled.
        Assert.That(TestBlocks().Select(c => ((CodeBlock)c.Arguments[0]!).Heading), Has.Some.StartsWith("Testing your shop"));
    }

    internal static (EmitResult Result, byte[] Image) Compile(CodeBlock block)
    {
        SyntaxTree tree = CSharpSyntaxTree.ParseText(block.Code, new CSharpParseOptions(LanguageVersion.Latest), path: block.Document, encoding: Encoding.UTF8);
        bool program = tree.GetRoot().DescendantNodes().OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "ReadmeBlock_" + block.Line,
            [tree],
            References.Value,
            new CSharpCompilationOptions(program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        return (result, image.ToArray());
    }

    /// <summary>Every assembly this test process can load: the runtime, ASP.NET Core, the library, the fake, NUnit, OpenTelemetry.</summary>
    private static MetadataReference[] LoadReferences()
    {
        string[] platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return platform.Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .Where(p => !Path.GetFileName(p).StartsWith("testhost", StringComparison.OrdinalIgnoreCase))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => MetadataReference.CreateFromFile(g.First()))
            .ToArray();
    }
}

/// <summary>One <c>```csharp</c> block: where it is, the heading it is under, and its code.</summary>
public sealed class CodeBlock
{
    private CodeBlock(string document, int line, string heading, string code) => (Document, Line, Heading, Code) = (document, line, heading, code);

    /// <summary>Gets the document, relative to the repository root.</summary>
    public string Document { get; }

    /// <summary>Gets the 1-based line of the block's first code line in the document.</summary>
    public int Line { get; }

    /// <summary>Gets the heading the block is under.</summary>
    public string Heading { get; }

    /// <summary>Gets the code.</summary>
    public string Code { get; }

    /// <summary>Gets a test name: document, line and heading.</summary>
    public string TestName => Regex.Replace($"{Document}_line{Line}_{Heading}", "[^A-Za-z0-9]+", "_").Trim('_');

    public static IEnumerable<CodeBlock> Read(string document)
    {
        string[] lines = File.ReadAllLines(Repository.PathOf(document));
        string heading = "(top)";
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                heading = lines[i].TrimStart('#', ' ');
            }
            else if (lines[i].Trim() == "```csharp")
            {
                int start = i + 1;
                int end = start;
                while (end < lines.Length && lines[end].Trim() != "```")
                {
                    end++;
                }

                yield return new CodeBlock(document, start + 1, heading, string.Join("\n", lines[start..end]));
                i = end;
            }
        }
    }

    /// <summary>Says where each error is in the document, with the block's code numbered by document line.</summary>
    public string Describe(IEnumerable<Diagnostic> errors)
    {
        var text = new StringBuilder($"The C# block at {Document}:{Line} (under \"{Heading}\") does not compile as written:\n");
        foreach (Diagnostic error in errors)
        {
            int line = Line + error.Location.GetLineSpan().StartLinePosition.Line;
            int column = error.Location.GetLineSpan().StartLinePosition.Character + 1;
            text.Append(CultureInfo.InvariantCulture, $"  {Document}:{line}:{column}: {error.Id}: {error.GetMessage(CultureInfo.InvariantCulture)}\n");
        }

        string[] code = Code.Split('\n');
        for (int i = 0; i < code.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {Line + i,4} | {code[i]}\n");
        }

        return text.ToString();
    }

    public override string ToString() => $"{Document}:{Line}";
}
