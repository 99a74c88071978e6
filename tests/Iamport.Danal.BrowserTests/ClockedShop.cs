using System.Net;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop and its fake I'mport on one <see cref="FakeTimeProvider"/>: days pass at <see cref="Advance"/>, for
/// both, so the shop's dunning schedule and the fake's payment times agree.</summary>
internal sealed class ClockedShop : IAsyncDisposable
{
    /// <summary>The library's look-up pauses wait on the clock; on a fake one nobody advances meanwhile, a single look-up.</summary>
    public static readonly string[] NoLookUpPauses = ["Iamport:ReconciliationWindow=00:00:00", "Iamport:NotChargedSettlePeriod=00:00:00"];

    private readonly List<ShopHost> _hosts = [];
    private readonly Dictionary<ShopHost, IamportGate> _gates = [];

    private ClockedShop(FakeTimeProvider time, FakeIamport fake, string databasePath)
    {
        Time = time;
        Fake = fake;
        DatabasePath = databasePath;
    }

    /// <summary>The admin token of every instance.</summary>
    public string AdminToken { get; } = Guid.NewGuid().ToString("N");

    public FakeTimeProvider Time { get; }

    public FakeIamport Fake { get; }

    public string DatabasePath { get; }

    /// <summary>The first shop instance.</summary>
    public ShopHost Shop => _hosts[0];

    /// <summary>Every shop instance, in the order they started.</summary>
    public IReadOnlyList<ShopHost> Hosts => _hosts;

    /// <summary>Starts a fake I'mport and one shop instance on a fresh database, both on one fake clock.</summary>
    public static async Task<ClockedShop> StartAsync(params string[] settings)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = Samples.Shop.ShopApp.EmbeddedMerchantCode }, time);
        await fake.StartAsync();
        var shop = new ClockedShop(time, fake, ShopHost.NewDatabasePath());
        await shop.AddInstanceAsync(settings);
        return shop;
    }

    /// <summary>Starts another shop process on the same database, fake and clock.</summary>
    public async Task<ShopHost> AddInstanceAsync(params string[] settings)
    {
        var gate = new IamportGate();
        var host = await ShopHost.StartWithFakeAsync(Fake, DatabasePath, builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(Time);
                builder.Services.AddHttpClient(nameof(IIamportClient)).AddHttpMessageHandler(gate.NewHandler);
            },
            ["Shop:AdminToken=" + AdminToken, .. NoLookUpPauses, .. settings]);
        _hosts.Add(host);
        _gates.Add(host, gate);
        return host;
    }

    /// <summary>The gate on an instance's requests to I'mport (nothing is held until a test arms it).</summary>
    public IamportGate GateOf(ShopHost host) => _gates[host];

    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>What 정기결제 지금 실행 does, over HTTP with the admin token: the renewal run, then dunning. Returns the
    /// redirect's query (the counts).</summary>
    public static async Task<string> RunRenewalsAsync(ShopHost host)
    {
        using var admin = host.NewAdminClient();
        using var response = await admin.PostAsync(new Uri("admin/renewals/run", UriKind.Relative), null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        return response.Headers.Location!.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await Fake.DisposeAsync();
    }
}
