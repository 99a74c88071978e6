using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iamport.Danal.PackageTests;

/// <summary>Every README block that maps a POST endpoint is compiled from the README, run as the program it is (on
/// Kestrel, loopback), and answers 400 to each malformed body, as the text promises.</summary>
public class ReadmeEndpointTests
{
    private static readonly Regex PostRoute = new(@"\.MapPost\(""([^""]+)""", RegexOptions.CultureInvariant);

    /// <summary>Bodies no parser accepts: not JSON, not an object, a field of the wrong kind, an id that breaks a path,
    /// too deep, too large, not UTF-8.</summary>
    private static readonly (string Name, byte[] Body)[] Malformed =
    [
        ("empty", []),
        ("truncated", Encoding.UTF8.GetBytes("""{"imp_uid": "imp_1""")),
        ("not JSON", Encoding.UTF8.GetBytes("imp_uid")),
        ("an array", Encoding.UTF8.GetBytes("""["imp_1", "order-1"]""")),
        ("a path id", Encoding.UTF8.GetBytes("""{"imp_uid": "../imp_1", "merchant_uid": "order-1", "status": "paid"}""")),
        ("a field twice", Encoding.UTF8.GetBytes("""{"imp_uid": "imp_1", "imp_uid": "imp_2", "merchant_uid": "order-1", "status": "paid"}""")),
        ("too deep", Encoding.UTF8.GetBytes(new string('[', 64) + new string(']', 64))),
        ("too large", Encoding.UTF8.GetBytes("{\"imp_uid\": \"imp_1\", \"merchant_uid\": \"order-1\", \"status\": \"paid\", \"x\": \"" + new string('a', 70_000) + "\"}")),
        ("not UTF-8", [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]),
    ];

    private static readonly string[] DocumentedEndpoints = ["/checkout/verify", "/iamport/webhook"];

    private static readonly AsyncLocal<TaskCompletionSource<IHost>?> Building = new();

    public static IEnumerable<TestCaseData> Endpoints() =>
        ReadmeTests.Documents.SelectMany(CodeBlock.Read)
            .SelectMany(b => PostRoute.Matches(b.Code).Select(m => new TestCaseData(b, m.Groups[1].Value).SetName($"Endpoint_{b.TestName}_{m.Groups[1].Value.Trim('/').Replace('/', '_')}_MalformedBody_400")));

    [Test]
    public void Readme_VerifyAndWebhookEndpoints_AreAmongThoseHosted()
    {
        Assert.That(Endpoints().Select(c => (string)c.Arguments[1]!), Is.SupersetOf(DocumentedEndpoints));
    }

    [TestCaseSource(nameof(Endpoints))]
    public async Task Endpoint_MalformedBody_Answers400(CodeBlock block, string route)
    {
        await using var program = await ReadmeProgram.StartAsync(block);
        using var client = new HttpClient { BaseAddress = program.Address };

        using (Assert.EnterMultipleScope())
        {
            foreach ((string name, byte[] body) in Malformed)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new("application/json");
                using HttpResponseMessage response = await client.PostAsync(route, content);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{block}: POST {route} with a body {name}");
            }

            // A well-formed body for an order the stand-in store does not know gets past the parser.
            using var wellFormed = new StringContent("""{"imp_uid": "imp_1", "merchant_uid": "order-1", "status": "paid"}""", Encoding.UTF8, "application/json");
            using HttpResponseMessage known = await client.PostAsync(route, wellFormed);
            Assert.That(known.StatusCode, Is.Not.EqualTo(HttpStatusCode.BadRequest).And.LessThan(HttpStatusCode.InternalServerError), $"{block}: POST {route} with a well-formed body");
        }
    }

    /// <summary>A README program block running on Kestrel: its <c>Main</c> on a thread of its own, its host caught as it
    /// is built (the hosting library's diagnostic event, as <c>WebApplicationFactory</c> does), stopped through its lifetime.</summary>
    private sealed class ReadmeProgram : IAsyncDisposable
    {
        private readonly IHost _host;
        private readonly Task _main;

        private ReadmeProgram(IHost host, Task main, Uri address) => (_host, _main, Address) = (host, main, address);

        public Uri Address { get; }

        public static async Task<ReadmeProgram> StartAsync(CodeBlock block)
        {
            (EmitResult result, byte[] image) = ReadmeTests.Compile(block);
            Assert.That(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, () => block.Describe(result.Diagnostics));
            MethodInfo main = Assembly.Load(image).EntryPoint ?? throw new AssertionException(block + " is not a program");
            string[] args = ["--urls", "http://127.0.0.1:0", "--Iamport:ImpKey", "readme_key", "--Iamport:ImpSecret", "readme_secret", "--Iamport:MerchantCode", "imp12345678"];

            var built = new TaskCompletionSource<IHost>(TaskCreationOptions.RunContinuationsAsynchronously);
            Building.Value = built;
            using IDisposable listening = DiagnosticListener.AllListeners.Subscribe(new HostingObserver());
            Task running = Task.Factory.StartNew(() => main.Invoke(null, [args]), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            Building.Value = null;

            IHost host = await FirstAsync(built.Task, running, block);
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using CancellationTokenRegistration _ = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(started.SetResult);
            await FirstAsync(started.Task, running, block);
            string address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ReadmeProgram(host, running, new Uri(address));
        }

        public async ValueTask DisposeAsync()
        {
            _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            await _main;
        }

        private static async Task<T> FirstAsync<T>(Task<T> awaited, Task running, CodeBlock block)
        {
            await Task.WhenAny(awaited, running);
            if (!awaited.IsCompleted)
            {
                await running;
                throw new AssertionException(block + " ended before its host started");
            }

            return await awaited;
        }

        private static async Task FirstAsync(Task awaited, Task running, CodeBlock block)
        {
            await Task.WhenAny(awaited, running);
            if (!awaited.IsCompleted)
            {
                await running;
                throw new AssertionException(block + " ended before its host started");
            }
        }
    }

    /// <summary>Catches the host a README program builds on this test's flow (the event is raised on the thread that builds it).</summary>
    private sealed class HostingObserver : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
    {
        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.Extensions.Hosting")
            {
                value.Subscribe(this);
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host)
            {
                Building.Value?.TrySetResult(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
