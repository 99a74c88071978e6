using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
using Iamport.Danal.Testing;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Tests;

/// <summary>Several merchants in one host, each a keyed registration against its own fake I'mport account.</summary>
public class KeyedMerchantTests
{
    [Test]
    public async Task AddIamport_TwoKeyedMerchants_EachChargesItsOwnAccountWithItsOwnTokenAndMerchantCode()
    {
        await using var fakeA = new FakeIamport(new FakeIamportOptions { ImpKey = "key_a", ImpSecret = "secret_a" });
        await using var fakeB = new FakeIamport(new FakeIamportOptions { ImpKey = "key_b", ImpSecret = "secret_b" });
        fakeA.IssueBillingKey("cust_a");
        fakeB.IssueBillingKey("cust_b");
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Iamport:shopB:ImpKey"] = "key_b",
            ["Iamport:shopB:ImpSecret"] = "secret_b",
            ["Iamport:shopB:MerchantCode"] = "imp22222222",
        });
        builder.Services.AddIamport("shopA", o => (o.ImpKey, o.ImpSecret, o.MerchantCode) = ("key_a", "secret_a", "imp11111111"))
            .ConfigurePrimaryHttpMessageHandler(fakeA.CreateHandler);
        builder.Services.AddIamport("shopB", builder.Configuration.GetSection("Iamport:shopB"))
            .ConfigurePrimaryHttpMessageHandler(fakeB.CreateHandler);
        builder.Services.AddTransient<ShopABilling>();
        using IHost host = builder.Build();
        await host.StartAsync();

        ShopABilling shopA = host.Services.GetRequiredService<ShopABilling>();
        IIamportClient shopB = host.Services.GetRequiredKeyedService<IIamportClient>("shopB");
        ChargeResult a1 = await shopA.Iamport.ChargeBillingKeyAsync(Charge("cust_a", "order_a1"));
        ChargeResult a2 = await host.Services.GetRequiredKeyedService<IIamportClient>("shopA").ChargeBillingKeyAsync(Charge("cust_a", "order_a2"));
        ChargeResult b1 = await shopB.ChargeBillingKeyAsync(Charge("cust_b", "order_b1"));
        ChargeResult b2 = await host.Services.GetRequiredKeyedService<IamportClient>("shopB").ChargeBillingKeyAsync(Charge("cust_b", "order_b2"));
        string scriptA = shopA.Checkout.RenderScript(shopA.Checkout.IssueKeyOnly("cust_a", "카드 등록").WithBuyerPhone("010-1234-5678").Build(), "/verify");
        CheckoutFactory checkoutB = host.Services.GetRequiredKeyedService<CheckoutFactory>("shopB");
        string scriptB = checkoutB.RenderScript(checkoutB.IssueKeyOnly("cust_b", "카드 등록").WithBuyerPhone("010-1234-5678").Build(), "/verify");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(new[] { a1.Outcome, a2.Outcome, b1.Outcome, b2.Outcome }, Is.All.EqualTo(ChargeOutcome.Approved));
            Assert.That(new[] { fakeA.PaidChargeCount("order_a1"), fakeA.PaidChargeCount("order_a2"), fakeB.PaidChargeCount("order_b1"), fakeB.PaidChargeCount("order_b2") }, Is.All.EqualTo(1));
            Assert.That(new[] { fakeA.PaidChargeCount("order_b1"), fakeB.PaidChargeCount("order_a1") }, Is.All.Zero, "no charge reaches the other merchant's account");
            Assert.That(fakeA.TokenRequestCount, Is.EqualTo(1), "one token for shopA's account");
            Assert.That(fakeB.TokenRequestCount, Is.EqualTo(1), "one token for shopB's account");
            Assert.That(scriptA, Does.Contain("imp11111111").And.Not.Contain("imp22222222"));
            Assert.That(scriptB, Does.Contain("imp22222222").And.Not.Contain("imp11111111"));
            Assert.That(host.Services.GetService<IIamportClient>(), Is.Null, "keyed merchants register no unkeyed client");
        }
    }

    [Test]
    public void StartAsync_SecondKeyedMerchantMissingSecret_FailsNamingThatMerchantsKey()
    {
        OptionsValidationException ex = Hosts.StartFailure(builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Iamport:shopA:ImpKey"] = "key_a",
                ["Iamport:shopA:ImpSecret"] = "secret_a",
                ["Iamport:shopB:ImpKey"] = "key_b",
            });
            builder.Services.AddIamport("shopA", builder.Configuration.GetSection("Iamport:shopA"));
            builder.Services.AddIamport("shopB", builder.Configuration.GetSection("Iamport:shopB"));
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.OptionsName, Is.EqualTo("shopB"));
            Assert.That(ex.Message, Does.Contain("Iamport:shopB:ImpSecret is required"));
            Assert.That(ex.Message, Does.Not.Contain("shopA"));
            Assert.That(ex.Message, Does.Not.Contain("secret_a"));
        }
    }

    [Test]
    public void AddIamport_EmptyName_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddIamport("", o => o.ImpKey = "k"));

        Assert.That(ex.ParamName, Is.EqualTo("name"));
    }

    [Test]
    public void StartAsync_UnkeyedAddIamportTwiceWithDifferentSettings_Fails()
    {
        OptionsValidationException ex = Hosts.StartFailure(builder =>
        {
            builder.Services.AddIamport(o => (o.ImpKey, o.ImpSecret, o.MerchantCode) = ("k", "s", "imp11111111"));
            builder.Services.AddIamport(o => (o.ImpKey, o.ImpSecret, o.MerchantCode) = ("k", "s", "imp22222222"));
        });

        Assert.That(ex.Message, Does.Contain("AddIamport was called 2 times with different settings"));
    }

    [Test]
    public void StartAsync_KeyedAddIamportTwiceWithDifferentSecrets_FailsWithoutShowingThem()
    {
        OptionsValidationException ex = Hosts.StartFailure(builder =>
        {
            builder.Services.AddIamport("shopA", o => (o.ImpKey, o.ImpSecret) = ("k", "first-secret"));
            builder.Services.AddIamport("shopA", o => (o.ImpKey, o.ImpSecret) = ("k", "second-secret"));
        });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain("Iamport:shopA:").And.Contain("AddIamport(\"shopA\", …) was called 2 times"));
            Assert.That(ex.Message, Does.Not.Contain("first-secret").And.Not.Contain("second-secret"));
        }
    }

    [Test]
    public async Task StartAsync_UnkeyedAddIamportTwiceWithTheSameSettings_Starts()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ImpKey"] = "k", ["ImpSecret"] = "s" }).Build();
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddIamport(config);
        builder.Services.AddIamport(o => (o.ImpKey, o.ImpSecret) = ("k", "s"));
        using IHost host = builder.Build();

        await host.StartAsync();

        Assert.That(host.Services.GetRequiredService<IOptions<IamportOptions>>().Value.ImpKey, Is.EqualTo("k"));
        await host.StopAsync();
    }

    private static ChargeRequest Charge(string customerUid, string merchantUid) =>
        new() { CustomerUid = customerUid, MerchantUid = merchantUid, Amount = 9900m, Name = "월간 구독" };

    /// <summary>A user's service taking shopA's client and checkout by <see cref="FromKeyedServicesAttribute"/>.</summary>
    private sealed class ShopABilling([FromKeyedServices("shopA")] IIamportClient iamport, [FromKeyedServices("shopA")] CheckoutFactory checkout)
    {
        public IIamportClient Iamport { get; } = iamport;

        public CheckoutFactory Checkout { get; } = checkout;
    }
}
