using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Iamport.Danal.Samples.Shop;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.BrowserTests;

/// <summary>The quick start: the shop starts by itself with an embedded fake, or against the real API when keys are set.</summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed partial class ShopStartupTests
{
    [Test]
    public async Task ShopProcess_NoKeysConfigured_PrintsLoopbackUrlAndServesEmbeddedFake()
    {
        // The program `dotnet run --project samples/Iamport.Danal.Samples.Shop` runs, started as its own process.
        string shopDll = Path.Combine(TestContext.CurrentContext.TestDirectory, "Iamport.Danal.Samples.Shop.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { shopDll, "--urls=http://127.0.0.1:0", "--Shop:Database=" + ShopHost.NewDatabasePath(), "--Shop:RenewalWorkerEnabled=false" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestContext.CurrentContext.TestDirectory,
        };
        start.Environment.Remove("Iamport__ImpKey");
        using var process = Process.Start(start)!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Uri? shop = null;
            Uri? fake = null;
            string? adminToken = null;
            while (shop is null || fake is null || adminToken is null)
            {
                string line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new AssertionException("The shop exited: " + await process.StandardError.ReadToEndAsync());
                if (ShopLine().Match(line) is { Success: true } s)
                {
                    shop = new Uri(s.Groups[1].Value);
                }
                else if (FakeLine().Match(line) is { Success: true } f)
                {
                    fake = new Uri(f.Groups[1].Value);
                }
                else if (AdminTokenLine().Match(line) is { Success: true } a)
                {
                    adminToken = a.Groups[1].Value;
                }
            }

            using var session = await ShopSession.OpenAsync(shop);
            using var checkout = await session.Http.PostAsync(new Uri("/checkout/register", UriKind.Relative), null);
            string checkoutHtml = await checkout.Content.ReadAsStringAsync();
            using var script = await session.Http.GetAsync(new Uri(fake, "v1/iamport.js"));

            // The quick start's "run renewals now": the admin token printed at start opens it, nothing else does.
            using var withoutToken = await session.Http.PostAsync(new Uri("/admin/renewals/run", UriKind.Relative), null);
            using var withToken = await session.Http.PostAsync(new Uri("/admin/renewals/run", UriKind.Relative),
                new FormUrlEncodedContent([new KeyValuePair<string, string>(Iamport.Danal.Samples.Shop.Web.ShopSecurity.AdminTokenField, adminToken)]));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(IPAddress.IsLoopback(IPAddress.Parse(shop.Host)), Is.True, shop.ToString());
                Assert.That(IPAddress.IsLoopback(IPAddress.Parse(fake.Host)), Is.True, fake.ToString());
                Assert.That(checkout.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                Assert.That(checkoutHtml, Does.Contain(new Uri(fake, "v1/iamport.js").ToString()));
                Assert.That(checkoutHtml, Does.Not.Contain("cdn.iamport.kr"));
                Assert.That(await script.Content.ReadAsStringAsync(), Does.Contain("request_pay"));
                Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
                Assert.That(withToken.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
                Assert.That(withToken.Headers.Location?.ToString(), Does.StartWith("/?notice=renewals-run"));
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    [Test]
    public async Task CreateAsync_KeysConfigured_UsesRealApiAndCdnScriptWithIncludeSandbox()
    {
        var app = await ShopApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Shop:Database=" + ShopHost.NewDatabasePath(),
            "--Shop:RenewalWorkerEnabled=false",
            "--Logging:LogLevel:Default=Warning",
            "--Iamport:ImpKey=live_key",
            "--Iamport:ImpSecret=live_secret",
            "--Iamport:MerchantCode=imp12345678",
            "--Iamport:IncludeSandbox=true",
        ]);
        await using (app)
        {
            await app.StartAsync();
            using var session = await ShopSession.OpenAsync(ShopApp.Address(app));
            using var checkout = await session.Http.PostAsync(new Uri("/checkout/register", UriKind.Relative), null);
            string html = await checkout.Content.ReadAsStringAsync();
            var options = app.Services.GetRequiredService<IOptions<IamportOptions>>().Value;

            using (Assert.EnterMultipleScope())
            {
                Assert.That(html, Does.Contain("<script src=\"" + ShopApp.RealIamportJs + "\""));
                Assert.That(html, Does.Contain("\"imp12345678\""));
                Assert.That(app.Services.GetService<Iamport.Danal.Testing.FakeIamport>(), Is.Null, "no embedded fake");
                Assert.That(options.BaseAddress, Is.EqualTo(new Uri("https://api.iamport.kr/")));
                Assert.That(options.IncludeSandbox, Is.True);
            }

            await app.StopAsync();
        }
    }

    [Test]
    public async Task CreateAsync_NoKeys_EmbeddedFakeOnTheFakesSandboxDefault()
    {
        // What a shop's own tests get from `new FakeIamport()` is what the sample shop runs on: the same channel, so the
        // same IncludeSandbox setting finds the payments in both.
        var app = await ShopApp.CreateAsync(
        [
            "--urls=http://127.0.0.1:0",
            "--Shop:Database=" + ShopHost.NewDatabasePath(),
            "--Shop:RenewalWorkerEnabled=false",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await using (app)
        {
            var fake = app.Services.GetRequiredService<Iamport.Danal.Testing.FakeIamport>();
            var options = app.Services.GetRequiredService<IOptions<IamportOptions>>().Value;

            using (Assert.EnterMultipleScope())
            {
                Assert.That(fake.Options.Sandbox, Is.EqualTo(new Iamport.Danal.Testing.FakeIamportOptions().Sandbox));
                Assert.That(options.IncludeSandbox, Is.EqualTo(new IamportOptions().IncludeSandbox));
            }
        }
    }

    [Test]
    public void CreateAsync_KeysWithoutMerchantCode_FailsAtStartWithTheSettingNamed()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => ShopApp.CreateAsync(
            ["--urls=http://127.0.0.1:0", "--Shop:Database=" + ShopHost.NewDatabasePath(), "--Iamport:ImpKey=k", "--Iamport:ImpSecret=s"]));
        Assert.That(error!.Message, Does.Contain("Iamport:MerchantCode"));
    }

    [GeneratedRegex(@"^Shop: (http://\S+)$")]
    private static partial Regex ShopLine();

    [GeneratedRegex(@"^I'mport: embedded fake at (http://\S+) ")]
    private static partial Regex FakeLine();

    [GeneratedRegex(@"^Admin token for this run .*: ([0-9a-f]{32})$")]
    private static partial Regex AdminTokenLine();
}
