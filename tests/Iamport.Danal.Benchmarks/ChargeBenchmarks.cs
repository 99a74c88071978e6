using System;
using System.Net.Http;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Iamport.Danal.Payments;

namespace Iamport.Danal.Benchmarks;

/// <summary>
/// One billing-key charge through <see cref="IamportClient.ChargeBillingKeyAsync"/> against the raw baseline, both on
/// the same <see cref="HttpClient"/> and <see cref="RecordedHandler"/>, the token already cached.
/// Targets: library / raw at most 1.10 in time and 1.25 in allocated bytes.
/// </summary>
[MemoryDiagnoser]
public class ChargeBenchmarks
{
    private static readonly Uri Base = new("https://api.iamport.kr/");
    private HttpClient _http = null!;
    private IamportClient _client = null!;
    private RawBaseline _raw = null!;

    [GlobalSetup]
    public void Setup()
    {
        // As AddIamport registers it: the HttpClient's own timeout is IamportOptions.Timeout (30 s), so the library adds
        // no timer of its own. The raw call uses the same HttpClient, so it pays the same timer.
        _http = new HttpClient(new RecordedHandler()) { Timeout = TimeSpan.FromSeconds(30) };
        _client = new IamportClient(_http, new IamportOptions { ImpKey = "bench_key", ImpSecret = "bench_secret", BaseAddress = Base });
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
    public void Cleanup() => _http.Dispose();

    [Benchmark(Baseline = true, Description = "Raw HttpClient + STJ")]
    public Task<RawPayment> Raw() => _raw.ChargeAsync(RawRequest(), RecordedHandler.AccessToken, default);

    [Benchmark(Description = "IamportClient.ChargeBillingKeyAsync")]
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

    private static RawChargeBody RawRequest() => new()
    {
        CustomerUid = "cust_0001",
        MerchantUid = "sub_42_2026_12",
        Amount = 9900m,
        Name = "월간 구독",
        BuyerName = "홍길동",
        BuyerEmail = "buyer@example.com",
    };
}
