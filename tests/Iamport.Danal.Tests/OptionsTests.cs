using System;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Checkout;
using Iamport.Danal.Internal;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests;

public class OptionsTests
{
    [Test]
    public void ToString_WithSecret_DoesNotContainSecret()
    {
        var options = new IamportOptions { ImpKey = "key-123", ImpSecret = "super-secret-value" };

        Assert.That(options.ToString(), Does.Not.Contain("super-secret-value"));
    }

    [Test]
    public void Validate_SeveralBrokenSettings_ReportsEveryOneNamedByItsKey()
    {
        var options = new IamportOptions { ImpKey = " ", ImpSecret = "", Pg = "html5_inicis", Timeout = TimeSpan.Zero };

        var result = new IamportOptionsValidator(new MerchantRegistrations()).Validate("shopA", options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Exactly(4).Items);
            Assert.That(result.FailureMessage, Does.Contain("Iamport:shopA:ImpKey").And.Contain("Iamport:shopA:ImpSecret")
                .And.Contain("Iamport:shopA:Pg").And.Contain("Iamport:shopA:Timeout"));
        }
    }

    [Test]
    public async Task Client_OptionsChangedAfterConstruction_KeepsTheSettingsItWasBuiltWith()
    {
        using var mock = new MockHttpMessageHandler();
        mock.WhenToken();
        MockedRequest lookup = mock.When(HttpMethod.Get, Api.Base + "/payments/imp_1")
            .With(r => r.RequestUri!.Query.Length == 0)
            .Respond("application/json", Api.Fixture("payment-charge.json"));
        IamportOptions options = Api.Options();
        IamportClient client = Api.Client(mock, options: options);

        options.IncludeSandbox = true;
        options.ImpSecret = "changed";
        await client.GetPaymentAsync("imp_1");

        Assert.That(mock.GetMatchCount(lookup), Is.EqualTo(1), "include_sandbox was set after the client was built");
    }

    [Test]
    public void CheckoutFactory_OptionsChangedAfterConstruction_KeepsThePgItWasBuiltWith()
    {
        var options = new IamportOptions { MerchantCode = "imp12345678" };
        var factory = new CheckoutFactory(options);

        options.ChannelKey = "channel-key-later";
        options.MerchantCode = "imp99999999";
        RequestPayParams param = factory.IssueKeyOnly("cust_1", "카드 등록").WithBuyerPhone("010").Build();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(param.Pg, Is.EqualTo(IamportOptions.DanalPg), "the default resolved when the factory was built");
            Assert.That(param.ChannelKey, Is.Null);
            Assert.That(factory.MerchantCode, Is.EqualTo("imp12345678"));
        }
    }

    [Test]
    public void Validate_ValidOptions_Succeeds()
    {
        var result = new IamportOptionsValidator(new MerchantRegistrations()).Validate(null, new IamportOptions { ImpKey = "k", ImpSecret = "s" });

        Assert.That(result.Succeeded, Is.True, result.FailureMessage);
    }

    [Test]
    public void Constructor_InvalidOptions_ThrowsArgumentExceptionNamingEverySetting()
    {
        using var http = new HttpClient();

        var ex = Assert.Throws<ArgumentException>(() => new IamportClient(http, new IamportOptions { ImpKey = "k", ImpSecret = "", ReconciliationWindow = TimeSpan.FromSeconds(-1) }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo("options"));
            Assert.That(ex.Message, Does.Contain("Iamport:ImpSecret is required").And.Contain("Iamport:ReconciliationWindow must not be negative"));
        }
    }
}
