using System;
using System.Net.Http;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// One billing-key charge through <see cref="IIamportClient.ChargeBillingKeyAsync"/>, resolved as a shop resolves it
/// (<c>AddIamport</c>: the factory's pipeline, the send guard, the transport's own timeout), against the raw baseline
/// on a plain <see cref="HttpClient"/> with a timeout, both ending in a <see cref="RecordedHandler"/>, the token cached.
/// Target: library / raw at most 1.00 in time and in allocated bytes, measured by <see cref="Interleaved"/>.
/// </summary>
[MemoryDiagnoser]
public class ChargeBenchmarks
{
    private static readonly Uri Base = new("https://api.iamport.kr/");
    private ServiceProvider _services = null!;
    private HttpClient _http = null!;
    private IIamportClient _client = null!;
    private RawBaseline _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddIamport(o => { o.ImpKey = "bench_key"; o.ImpSecret = "bench_secret"; o.BaseAddress = Base; })
            .ConfigurePrimaryHttpMessageHandler(() => new RecordedHandler());
        _services = services.BuildServiceProvider();
        _client = _services.GetRequiredService<IIamportClient>();

        // What a shop writes by hand: one HttpClient with a timeout (IamportOptions.Timeout's 30 s).
        _http = new HttpClient(new RecordedHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        _raw = new RawBaseline(_http, Base);

        // Fill the token cache and check both paths once, so a broken benchmark fails loudly instead of measuring an exception.
        ChargeResult result = _client.ChargeBillingKeyAsync(LibraryRequest()).GetAwaiter().GetResult();
        RawPayment raw = _raw.ChargeAsync(RawRequest(), RecordedHandler.AccessToken, default).GetAwaiter().GetResult();
        if (!result.IsApproved || raw.Status != "paid")
        {
            throw new InvalidOperationException("The recorded response was not read as approved.");
        }
    }

    /// <summary>One raw charge, for <see cref="Interleaved"/>.</summary>
    public RawPayment RunRaw() => Raw().GetAwaiter().GetResult();

    /// <summary>One library charge, for <see cref="Interleaved"/>.</summary>
    public ChargeResult RunLibrary() => Library().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _http.Dispose();
        _services.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Raw HttpClient + STJ")]
    public Task<RawPayment> Raw() => _raw.ChargeAsync(RawRequest(), RecordedHandler.AccessToken, default);

    [Benchmark(Description = "IIamportClient.ChargeBillingKeyAsync (AddIamport)")]
    public Task<ChargeResult> Library() => _client.ChargeBillingKeyAsync(LibraryRequest());

    /// <summary>The charge both benchmarks send (a new request per call, as a billing run builds one per key).</summary>
    internal static ChargeRequest LibraryRequest() => new()
    {
        CustomerUid = "cust_0001",
        MerchantUid = "sub_42_2026_12",
        Amount = 9900m,
        Name = "월간 구독",
        BuyerName = "홍길동",
        BuyerEmail = "buyer@example.com",
    };

    internal static RawChargeBody RawRequest() => new()
    {
        CustomerUid = "cust_0001",
        MerchantUid = "sub_42_2026_12",
        Amount = 9900m,
        Name = "월간 구독",
        BuyerName = "홍길동",
        BuyerEmail = "buyer@example.com",
    };
}
