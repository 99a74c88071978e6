using System;
using System.Net.Http;
using Iamport.Danal.Internal;

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

        var result = new IamportOptionsValidator(new IamportRegistrations()).Validate("shopA", options);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Failed, Is.True);
            Assert.That(result.Failures, Has.Exactly(4).Items);
            Assert.That(result.FailureMessage, Does.Contain("Iamport:shopA:ImpKey").And.Contain("Iamport:shopA:ImpSecret")
                .And.Contain("Iamport:shopA:Pg").And.Contain("Iamport:shopA:Timeout"));
        }
    }

    [Test]
    public void Validate_ValidOptions_Succeeds()
    {
        var result = new IamportOptionsValidator(new IamportRegistrations()).Validate(null, new IamportOptions { ImpKey = "k", ImpSecret = "s" });

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
