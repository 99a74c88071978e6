using System;
using Iamport.Danal.Checkout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.Tests.Checkout;

public class CheckoutFactoryTests
{
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
        RequestPayParams keyOnly = factory.IssueKeyOnly("c1").WithBuyerTel("010").Build();
        RequestPayParams charge = factory.IssueKeyAndCharge("c1", 9900, "Plan").WithBuyerTel("010").Build();
        string html = factory.RenderScript(keyOnly, "/checkout/verify");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(provider.GetRequiredService<CheckoutFactory>(), Is.SameAs(factory));
            Assert.That(factory.MerchantCode, Is.EqualTo("imp123"));
            Assert.That(keyOnly.Pg, Is.EqualTo("danal_tpay.CP1"));
            Assert.That(keyOnly.Amount, Is.Zero);
            Assert.That(charge.Pg, Is.EqualTo("danal_tpay.CP1"));
            Assert.That(charge.Amount, Is.EqualTo(9900m));
            Assert.That(html, Does.Contain("})(\"imp123\", {\"pg\":\"danal_tpay.CP1\""));
            Assert.That(keyOnly.MerchantUid, Does.StartWith(Base36(time.GetUtcNow().ToUnixTimeMilliseconds())), "ids use the registered clock");
        }
    }

    [Test]
    public void RenderScript_NoMerchantCode_ThrowsInvalidOperation()
    {
        var services = new ServiceCollection();
        services.AddIamport(o => (o.ImpKey, o.ImpSecret) = ("key", "secret"));
        using ServiceProvider provider = services.BuildServiceProvider();
        CheckoutFactory factory = provider.GetRequiredService<CheckoutFactory>();

        Assert.That(
            () => factory.RenderScript(factory.IssueKeyOnly("c1").WithBuyerTel("010").Build(), "/verify"),
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
