using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Iamport.Danal.PackageTests;

/// <summary>
/// The READMEs' inline code that looks like a C# call is held to the API: a whole statement (ending in <c>;</c>,
/// starting with <c>await</c>, or with a lambda) appears as written in a compiled C# block of the same document, so its
/// <c>using</c> lines and package are proven; a call named in passing (<c>GetPaymentAsync(impUid)</c>) parses, and
/// every method it names is a public method of the library, the fake or the Microsoft.Extensions packages they build
/// on (of the type it names, when it names one).
/// </summary>
public class ReadmeInlineCodeTests
{
    private static readonly Lazy<ILookup<string, Type>> PublicMethods = new(LoadPublicMethods);

    public static IEnumerable<TestCaseData> Spans() =>
        ReadmeTests.Documents.SelectMany(InlineSpan.Read).Where(s => s.IsCSharpCall)
            .Select(s => new TestCaseData(s).SetName($"InlineCall_{s.TestName}"));

    [TestCaseSource(nameof(Spans))]
    public void InlineCall_AsWritten_IsCompiledOrNamesThePublicApi(InlineSpan span)
    {
        if (span.IsStatement)
        {
            string code = Squeeze(span.Code);
            bool compiled = CodeBlock.Read(span.Document).Any(b => Squeeze(b.Code).Contains(code, StringComparison.Ordinal));
            Assert.That(compiled, Is.True, $"{span}: `{span.Code}` is a statement, so it must appear in a compiled ```csharp block of {span.Document} (move it into one)");
            return;
        }

        ExpressionSyntax expression = SyntaxFactory.ParseExpression(span.AsExpression);
        Assert.That(expression.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, $"{span}: `{span.Code}` does not parse as C#");
        Assert.That(expression.ToFullString(), Is.EqualTo(span.AsExpression), $"{span}: `{span.Code}` is more than one expression");
        foreach (InvocationExpressionSyntax call in expression.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>())
        {
            (string? typeName, string method) = Named(call.Expression);
            Type[] owners = PublicMethods.Value[method].ToArray();
            Assert.That(owners, Is.Not.Empty, $"{span}: `{span.Code}` calls {method}, which no public type of the library, the fake or Microsoft.Extensions has");
            bool typeIsKnown = typeName is not null && PublicMethods.Value.SelectMany(g => g).Any(t => t.Name == typeName);
            if (typeIsKnown)
            {
                Assert.That(owners.Select(t => t.Name), Has.Member(typeName), $"{span}: `{span.Code}`: {typeName} has no public method {method}");
            }
        }
    }

    [Test]
    public void Readme_ResilienceExample_IsACompiledBlock()
    {
        // The example that did not compile as inline code (CS1061 without its using) is a compiled block now.
        Assert.That(CodeBlock.Read("README.md").Select(b => b.Code), Has.Some.Contains(".AddStandardResilienceHandler("));
    }

    [TestCase("`builder.Services.AddIamport(x).AddStandardResilienceHandler();`", true, true)]
    [TestCase("`await fake.RunDueSchedulesAsync()`", true, true)]
    [TestCase("`GetPaymentAsync(impUid)`", true, false)]
    [TestCase("`IMP.request_pay(param, callback)`", false, false)]
    [TestCase("`ImpKey`", false, false)]
    [TestCase("``a `code` span``", false, false)]
    public void InlineSpan_Kinds_AreTold(string markdown, bool call, bool statement)
    {
        InlineSpan span = InlineSpan.Parse("test.md", markdown).Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(span.IsCSharpCall, Is.EqualTo(call));
            Assert.That(span.IsStatement, Is.EqualTo(statement));
        }
    }

    /// <summary>Code without comments or whitespace, so formatting and line breaks do not matter.</summary>
    private static string Squeeze(string code) =>
        string.Concat(SyntaxFactory.ParseTokens(code).Select(t => t.Text));

    private static (string? TypeName, string Method) Named(ExpressionSyntax callee) => callee switch
    {
        MemberAccessExpressionSyntax member => (Simple(member.Expression), member.Name.Identifier.Text),
        SimpleNameSyntax name => (null, name.Identifier.Text),
        MemberBindingExpressionSyntax binding => (null, binding.Name.Identifier.Text),
        _ => throw new AssertionException("An inline call on " + callee + " cannot be checked"),
    };

    private static string? Simple(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax name => name.Identifier.Text,
        MemberAccessExpressionSyntax member => member.Name.Identifier.Text,
        _ => null,
    };

    private static ILookup<string, Type> LoadPublicMethods()
    {
        IEnumerable<Assembly> assemblies = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(p => Path.GetFileName(p) is { } name && (name.StartsWith("Iamport.Danal", StringComparison.Ordinal) || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)))
            .Where(p => !Path.GetFileName(p).Contains("Tests", StringComparison.Ordinal))
            .Select(Assembly.LoadFrom);
        return assemblies.SelectMany(a => a.GetExportedTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => (m.Name, Type: t)))
            .ToLookup(m => m.Name, m => m.Type);
    }
}

/// <summary>One inline code span of a document, outside fenced blocks.</summary>
public sealed class InlineSpan
{
    // JavaScript named in the prose (the SDK, the page), not C#.
    private static readonly string[] JavaScriptRoots = ["IMP", "document", "window", "response", "fetch", "JSON"];

    private static readonly Regex Call = new(@"(^|[^\w])[A-Za-z_]\w*(<[\w<>, \[\]]*>)?\(", RegexOptions.CultureInvariant);

    private InlineSpan(string document, int line, string code) => (Document, Line, Code) = (document, line, code);

    /// <summary>Gets the document, relative to the repository root.</summary>
    public string Document { get; }

    /// <summary>Gets the 1-based line the span starts on.</summary>
    public int Line { get; }

    /// <summary>Gets the code between the backticks.</summary>
    public string Code { get; }

    /// <summary>Gets whether the span calls something and is not JavaScript.</summary>
    public bool IsCSharpCall =>
        Call.IsMatch(Code)
        && !JavaScriptRoots.Any(root => Code.StartsWith(root + ".", StringComparison.Ordinal) || Code.StartsWith(root + "(", StringComparison.Ordinal));

    /// <summary>Gets whether the span is a whole statement rather than a call named in passing.</summary>
    public bool IsStatement => IsCSharpCall && (Code.TrimEnd().EndsWith(';') || Code.StartsWith("await ", StringComparison.Ordinal) || Code.Contains("=>", StringComparison.Ordinal));

    /// <summary>Gets the span as an expression: placeholders (<c>…</c>, <c>...</c>) dropped, a leading <c>.</c> given a receiver.</summary>
    public string AsExpression
    {
        get
        {
            string code = Regex.Replace(Code, @",\s*(…|\.\.\.)", "");
            code = code.Replace("…", "", StringComparison.Ordinal).Replace("...", "", StringComparison.Ordinal);
            return code.StartsWith('.') ? "x" + code : code;
        }
    }

    /// <summary>Gets a test name: document, line and code.</summary>
    public string TestName => Regex.Replace($"{Document}_line{Line}_{Code}", "[^A-Za-z0-9]+", "_").Trim('_');

    public static IEnumerable<InlineSpan> Read(string document) => Parse(document, File.ReadAllText(Repository.PathOf(document)));

    /// <summary>The code spans of markdown text (CommonMark: a run of backticks closed by a run of the same length),
    /// skipping fenced blocks.</summary>
    public static IEnumerable<InlineSpan> Parse(string document, string markdown)
    {
        string[] lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var text = new StringBuilder();
        var lineOf = new List<int>();
        bool fenced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                lines[i] = "";
            }

            string line = fenced ? "" : lines[i];
            text.Append(line).Append('\n');
            lineOf.AddRange(Enumerable.Repeat(i + 1, line.Length + 1));
        }

        string all = text.ToString();
        int at = 0;
        while (at < all.Length)
        {
            if (all[at] != '`')
            {
                at++;
                continue;
            }

            int run = Run(all, at);
            int close = at + run;
            while (close < all.Length && (all[close] != '`' || Run(all, close) != run))
            {
                close += all[close] == '`' ? Run(all, close) : 1;
            }

            if (close >= all.Length)
            {
                at += run;
                continue;
            }

            string code = all[(at + run)..close].Replace('\n', ' ');
            if (code.Length > 2 && code[0] == ' ' && code[^1] == ' ')
            {
                code = code[1..^1];
            }

            yield return new InlineSpan(document, lineOf[at], code);
            at = close + run;
        }
    }

    public override string ToString() => $"{Document}:{Line}";

    private static int Run(string text, int at)
    {
        int end = at;
        while (end < text.Length && text[end] == '`')
        {
            end++;
        }

        return end - at;
    }
}
