using System.Security.Cryptography;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Samples.Shop.Web;
using Iamport.Danal.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace Iamport.Danal.Samples.Shop;

/// <summary>Composes the shop. Tests build it the same way, with their own configuration.</summary>
public static class ShopApp
{
    /// <summary>Where the shop listens when no <c>--urls</c> / <c>ASPNETCORE_URLS</c> is given: loopback only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The merchant code the embedded fake expects in <c>IMP.init</c>.</summary>
    public const string EmbeddedMerchantCode = "imp00000000";

    public const string RealIamportJs = "https://cdn.iamport.kr/v1/iamport.js";

    /// <summary>The connection string name (<c>ConnectionStrings:Shop</c>, env <c>ConnectionStrings__Shop</c>) that
    /// switches the store to PostgreSQL.</summary>
    public const string StoreConnectionName = "Shop";

    /// <param name="args">Command-line arguments (configuration such as <c>--Iamport:ImpKey=...</c> included).</param>
    /// <param name="configure">Changes the builder before the shop reads its settings (tests add configuration and services here).</param>
    public static async Task<WebApplication> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var shop = builder.Configuration.GetSection(ShopOptions.SectionName).Get<ShopOptions>() ?? new ShopOptions();
        _ = Dunning.Schedule(shop.DunningSchedule); // a malformed schedule stops the start, naming the setting
        var iamport = builder.Configuration.GetSection(IamportOptions.SectionName);

        FakeIamport? fake = null;
        string? generatedAdminToken = null;
        string iamportJsUrl;
        if (string.IsNullOrWhiteSpace(iamport[nameof(IamportOptions.ImpKey)]))
        {
            // Embedded default: no keys, so serve a fake I'mport (REST API, iamport.js and a simulated Danal window)
            // on another loopback port and point the real client at it, with the fake's defaults (a live channel, so
            // the client needs no IncludeSandbox).
            fake = await StartEmbeddedFakeAsync();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Iamport:ImpKey"] = fake.Options.ImpKey,
                ["Iamport:ImpSecret"] = fake.Options.ImpSecret,
                ["Iamport:MerchantCode"] = EmbeddedMerchantCode,
                ["Iamport:BaseAddress"] = fake.BaseAddress!.ToString(),
            });
            iamportJsUrl = new Uri(fake.BaseAddress, "v1/iamport.js").ToString();
            builder.Services.AddSingleton(_ => fake);

            // The demo's "run renewals now" button is an admin action. Nothing real is charged here, so a token made for
            // this run (printed at start) keeps the quick start usable without leaving the endpoint open.
            if (string.IsNullOrEmpty(shop.AdminToken))
            {
                shop.AdminToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Shop:AdminToken"] = shop.AdminToken });
                generatedAdminToken = shop.AdminToken;
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(iamport[nameof(IamportOptions.MerchantCode)]))
            {
                throw new InvalidOperationException("Iamport:MerchantCode (imp12345678, from the I'mport console) is required with Iamport:ImpKey.");
            }

            iamportJsUrl = shop.IamportJsUrl ?? RealIamportJs;
        }

        builder.Services.Configure<ShopOptions>(builder.Configuration.GetSection(ShopOptions.SectionName));
        builder.Services.AddIamport(builder.Configuration.GetSection(IamportOptions.SectionName));
        AddStore(builder, shop);
        builder.Services.AddShopSecurity(Path.Combine(builder.Environment.ContentRootPath, shop.KeysDirectory));
        builder.Services.AddTransient<CheckoutService>();
        builder.Services.AddTransient<RenewalJob>();
        builder.Services.AddTransient<WebhookHandler>();
        builder.Services.AddTransient<Sweep>();
        builder.Services.AddTransient<SubscriptionActions>();
        builder.Services.AddTransient<Dunning>();
        builder.Services.AddTransient<ScheduleEngine>();
        builder.Services.AddHostedService<RenewalWorker>();

        var app = builder.Build();
        var store = app.Services.GetRequiredService<IShopStore>();
        await store.EnsureCreatedAsync(); // the schema's migrations, each applied once (also the `migrate` command)

        if (fake is not null)
        {
            _ = app.Services.GetRequiredService<FakeIamport>(); // the container owns (and disposes) it from here

            // The fake forgets everything when the process stops; the shop does not. Hand it back the keys the shop holds.
            foreach (string customerUid in await store.ListBillingKeysAsync())
            {
                fake.IssueBillingKey(customerUid);
            }

            app.Lifetime.ApplicationStarted.Register(() => fake.Options.WebhookUrl = new Uri(Address(app), "iamport/webhook"));
        }

        app.Lifetime.ApplicationStarted.Register(() =>
        {
            Console.WriteLine($"Shop: {Address(app)}");
            Console.WriteLine(fake is null
                ? "I'mport: live API (Iamport:ImpKey is set)."
                : $"I'mport: embedded fake at {fake.BaseAddress} (no Iamport:ImpKey set); pick a test card in the simulated Danal window.");
            Console.WriteLine(generatedAdminToken is not null
                ? $"Admin token for this run (운영자 토큰, the page's 정기결제 지금 실행): {generatedAdminToken}"
                : string.IsNullOrEmpty(shop.AdminToken) ? "Admin endpoints: off (no Shop:AdminToken set)." : "Admin endpoints: on (Shop:AdminToken).");
        });

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapShop(iamportJsUrl, embedded: fake is not null);
        app.MapOperatorPage();
        return app;
    }

    /// <summary>The <c>renew</c> command: one renewal run, then exit (for a scheduler such as cron or a Kubernetes
    /// CronJob, and for the load runner). Ctrl+C or SIGTERM stops it cleanly: charges already sent are awaited, the
    /// rest of its claims are given back.</summary>
    /// <returns>The process exit code: 0 when every claimed period reached an outcome.</returns>
    public static async Task<int> RenewOnceAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<Sweep>().RunOnceAsync(stopping.Token);
            Console.WriteLine("Schedules: " + await scope.ServiceProvider.GetRequiredService<ScheduleEngine>().RunOnceAsync(stopping.Token));
            var report = await scope.ServiceProvider.GetRequiredService<RenewalJob>().RunOnceAsync(stopping.Token);
            Console.WriteLine("Renewal run: " + report);
            Console.WriteLine("Dunning: " + await scope.ServiceProvider.GetRequiredService<Dunning>().RunOnceAsync(stopping.Token));
            return report.Errors == 0 ? 0 : 1;
        }
        catch (System.Data.Common.DbException ex)
        {
            // The database stayed away longer than Shop:StoreRetryFor. The charges sent were awaited and their outcomes
            // written where possible; what is left claimed is looked up once its lease runs out. The next run goes on.
            app.Services.GetRequiredService<ILogger<RenewalJob>>().RenewalRunFailed(ex);
            return 1;
        }
    }

    /// <summary>The address the started shop listens on, ending in <c>/</c>.</summary>
    public static Uri Address(WebApplication app)
    {
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>PostgreSQL when <c>ConnectionStrings:Shop</c> is set (several shop processes share it), otherwise the SQLite file.</summary>
    private static void AddStore(WebApplicationBuilder builder, ShopOptions shop)
    {
        if (builder.Configuration.GetConnectionString(StoreConnectionName) is { Length: > 0 } postgres)
        {
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(postgres)); // the container disposes it
            builder.Services.AddSingleton<IShopStore>(sp => new PostgresShopStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>())
            {
                Lease = shop.RenewalLease,
                RetryFor = shop.StoreRetryFor,
            });
            return;
        }

        string databasePath = Path.Combine(builder.Environment.ContentRootPath, shop.Database);
        builder.Services.AddSingleton<IShopStore>(sp => new SqliteShopStore(databasePath, sp.GetRequiredService<TimeProvider>())
        {
            Lease = shop.RenewalLease,
            RetryFor = shop.StoreRetryFor,
        });
    }

    private static async Task<FakeIamport> StartEmbeddedFakeAsync()
    {
        var fake = new FakeIamport(new FakeIamportOptions
        {
            MerchantCode = EmbeddedMerchantCode,

            // A fresh seed per process: imp_uids must not repeat after a restart (webhooks are de-duplicated by imp_uid).
            Seed = RandomNumberGenerator.GetInt32(1, int.MaxValue),
        });
        await fake.StartAsync();
        return fake;
    }
}
