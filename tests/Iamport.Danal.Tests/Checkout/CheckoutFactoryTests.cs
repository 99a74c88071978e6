using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Checkout;

public class CheckoutFactoryTests
{
    private const string ChannelKey = "channel-key-5f1c2a7e-0b1d-4c3e-9a8f-1234567890ab";

    [Test]
    public void AddIamport_Options_FactoryBuildersCarryPgMerchantCodeAndClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 18, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddIamport(o =>
        {
            o.ImpKey = "key";
            o.ImpSecret = "secret";
            o.MerchantCode = "imp123";
            o.Pg = "danal_tpay.CP1";
        });
        using ServiceProvider provider = services.BuildServiceProvider();

        CheckoutFactory factory = provider.GetRequiredService<CheckoutFactory>();
        RequestPayParams keyOnly = factory.IssueKeyOnly("c1", "카드 등록").WithBuyerPhone("010").Build();
        RequestPayParams charge = factory.IssueKeyAndCharge("c1", 9900, "Plan").WithBuyerPhone("010").Build();
        string html = factory.RenderScript(keyOnly, "/checkout/verify");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<CheckoutFactory>(), Is.SameAs(factory));
            Assert.That(factory.MerchantCode, Is.EqualTo("imp123"));
            Assert.That(keyOnly.Pg, Is.EqualTo("danal_tpay.CP1"));
            Assert.That(keyOnly.ChannelKey, Is.Null);
            Assert.That(keyOnly.Amount, Is.Zero);
            Assert.That(charge.Pg, Is.EqualTo("danal_tpay.CP1"));
            Assert.That(charge.Amount, Is.EqualTo(9900m));
            Assert.That(html, Does.Contain("})(\"imp123\", {\"pg\":\"danal_tpay.CP1\""));
            Assert.That(keyOnly.MerchantUid, Does.StartWith(Base36(time.GetUtcNow().ToUnixTimeMilliseconds())), "ids use the registered clock");
        }
    }

    [Test]
    public void AddIamport_ChannelKeyFromConfiguration_BothIntentsSendChannelKeyNotPg()
    {
        var services = new ServiceCollection();
        services.AddIamport(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ImpKey"] = "key",
            ["ImpSecret"] = "secret",
            ["MerchantCode"] = "imp123",
            ["ChannelKey"] = ChannelKey,
        }).Build());
        using ServiceProvider provider = services.BuildServiceProvider();
        CheckoutFactory factory = provider.GetRequiredService<CheckoutFactory>();

        JsonNode keyOnly = JsonNode.Parse(factory.IssueKeyOnly("c1", "카드 등록").WithBuyerPhone("010").Build().ToJson())!;
        JsonNode charge = JsonNode.Parse(factory.IssueKeyAndCharge("c1", 9900, "Plan").WithBuyerPhone("010").Build().ToJson())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<IOptions<IamportOptions>>().Value.Pg, Is.Null, "the default pg gives way to the channel key");
            foreach (JsonNode param in new[] { keyOnly, charge })
            {
                Assert.That((string?)param["channelKey"], Is.EqualTo(ChannelKey));
                Assert.That(param.AsObject().ContainsKey("pg"), Is.False);
            }
        }
    }

    public static IEnumerable<TestCaseData> ChannelSettings()
    {
        static TestCaseData Case(string name, string rule, params string?[] keyValues)
        {
            var settings = new Dictionary<string, string?> { ["Iamport:ImpKey"] = "key", ["Iamport:ImpSecret"] = "s3cr3t-value" };
            for (int i = 0; i < keyValues.Length; i += 2)
            {
                settings["Iamport:" + keyValues[i]] = keyValues[i + 1];
            }

            return new TestCaseData(settings, rule).SetArgDisplayNames(name);
        }

        yield return Case("both set", "both are set", "ChannelKey", ChannelKey, "Pg", "danal_tpay");
        yield return Case("both set, pg with CPID", "both are set", "ChannelKey", ChannelKey, "Pg", "danal_tpay.CP1");
        yield return Case("neither: empty pg", "neither is set", "Pg", "");
        yield return Case("neither: empty pg and channel key", "neither is set", "Pg", "", "ChannelKey", "");
        yield return Case("neither: blank channel key, empty pg", "neither is set", "Pg", " ", "ChannelKey", " ");
        yield return Case("malformed channel key", "at most 55 characters", "ChannelKey", "channel key\"1");
        yield return Case("too long channel key", "at most 55 characters", "ChannelKey", new string('k', 56));
    }

    [TestCaseSource(nameof(ChannelSettings))]
    public void StartAsync_ChannelKeyAndPgBothOrNeither_FailsNamingBoth(Dictionary<string, string?> settings, string rule)
    {
        OptionsValidationException ex = Hosts.StartFailure(settings);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex.Message, Does.Contain("Iamport:ChannelKey").And.Contain(rule));
            Assert.That(ex.Message, Does.Contain("Iamport:Pg").Or.Contain("at most 55"));
            Assert.That(ex.Message, Does.Not.Contain("s3cr3t-value"));
        }
    }

    [TestCase(ChannelKey, null)]
    [TestCase(null, "danal_tpay.CP1")]
    [TestCase(null, null)]
    public async Task StartAsync_ExactlyOneOfChannelKeyAndPg_Starts(string? channelKey, string? pg)
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddIamport(o =>
        {
            (o.ImpKey, o.ImpSecret, o.ChannelKey) = ("key", "secret", channelKey);
            o.Pg = pg ?? o.Pg;
        });
        using IHost host = builder.Build();

        await host.StartAsync();
        RequestPayParams param = host.Services.GetRequiredService<CheckoutFactory>().IssueKeyOnly("cust_1", "카드 등록").WithBuyerPhone("010-1234-5678").Build();
        await host.StopAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(param.ChannelKey is null, Is.Not.EqualTo(param.Pg is null), "exactly one is in effect");
            Assert.That(param.Pg, Is.EqualTo(channelKey is null ? pg ?? IamportOptions.DanalPg : null), "the default pg is resolved in one place");
        }
    }

    [TestCase(ChannelKey, "danal_tpay")]
    [TestCase(null, "")]
    public void Constructor_BothOrNeither_ThrowsArgument(string? channelKey, string pg)
    {
        var options = new IamportOptions { ChannelKey = channelKey, Pg = pg };

        Assert.That(() => new CheckoutFactory(options), Throws.ArgumentException.With.Message.Contains("exactly one of ChannelKey and Pg"));
    }

    [Test]
    public void RenderScript_NoMerchantCode_ThrowsInvalidOperation()
    {
        var services = new ServiceCollection();
        services.AddIamport(o => (o.ImpKey, o.ImpSecret) = ("key", "secret"));
        using ServiceProvider provider = services.BuildServiceProvider();
        CheckoutFactory factory = provider.GetRequiredService<CheckoutFactory>();

        Assert.That(
            () => factory.RenderScript(factory.IssueKeyOnly("c1", "Plan").WithBuyerPhone("010").Build(), "/verify"),
            Throws.InvalidOperationException.With.Message.Contains("MerchantCode"));
    }

    private static string Base36(long value)
    {
        char[] digits = new char[9];
        for (int i = 8; i >= 0; i--, value /= 36)
        {
            digits[i] = "0123456789abcdefghijklmnopqrstuvwxyz"[(int)(value % 36)];
        }

        return new string(digits);
    }
}
