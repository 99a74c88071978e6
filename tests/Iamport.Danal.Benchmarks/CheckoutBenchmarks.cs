using System;
using BenchmarkDotNet.Attributes;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Benchmarks;

/// <summary><c>RequestPayParamsBuilder</c> to the script-safe JSON a checkout page embeds: once per page view.</summary>
[MemoryDiagnoser]
public class CheckoutBenchmarks
{
    private static readonly Uri Redirect = new("https://shop.example/checkout/return?order=42");
    private static readonly Uri Notice = new("https://shop.example/iamport/webhook");
    private static readonly CheckoutFactory Checkout = new(new IamportOptions { ChannelKey = "channel-key-5f1c2a7e-0b1d-4c3e-9a8f-1234567890ab" });

    [Benchmark(Description = "Build() + ToJson(), issue key and charge, every field")]
    public string BuildToJson() =>
        Checkout.IssueKeyAndCharge("cust_42_card_2", 9_900m, "월간 구독")
            .WithMerchantUid("order_20261127_0002")
            .WithBuyerEmail("buyer@example.com")
            .WithBuyerName("홍길동")
            .WithBuyerPhone("010-1234-5678")
            .WithBuyerAddress("서울특별시 강남구 테헤란로 1", "06236")
            .WithPeriod(new DateTime(2026, 12, 1), new DateTime(2026, 12, 31))
            .WithRedirectUrl(Redirect)
            .WithNoticeUrl(Notice)
            .WithCustomData("{\"plan\":\"monthly\"}")
            .Build()
            .ToJson();
}
