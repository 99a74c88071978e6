namespace Iamport.Danal.Tests;

public class OptionsTests
{
    [Test]
    public void ToString_WithSecret_DoesNotContainSecret()
    {
        var options = new IamportOptions { ImpKey = "key-123", ImpSecret = "super-secret-value" };

        Assert.That(options.ToString(), Does.Not.Contain("super-secret-value"));
    }
}
