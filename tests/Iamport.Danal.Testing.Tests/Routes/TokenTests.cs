using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Routes;

[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class TokenTests(FakeHost host)
{
    [Test]
    public async Task GetToken_Fresh_ThirtyMinutesFromFakeClock()
    {
        await using var h = new FakeHarness(host);

        var token = await h.GetTokenAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((long)token["now"]!, Is.EqualTo(FakeHarness.Start.ToUnixTimeSeconds()));
            Assert.That((long)token["expired_at"]! - (long)token["now"]!, Is.EqualTo(1800));
            Assert.That((string)token["access_token"]!, Is.Not.Empty);
            Assert.That(h.Fake.TokenRequestCount, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task GetToken_BeforeExpiry_ReturnsSameToken()
    {
        await using var h = new FakeHarness(host);
        var first = await h.GetTokenAsync();

        h.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await h.GetTokenAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)second["access_token"]!, Is.EqualTo((string)first["access_token"]!));
            Assert.That((long)second["expired_at"]!, Is.EqualTo((long)first["expired_at"]!));
            Assert.That(h.Fake.TokensIssuedCount, Is.EqualTo(1));
            Assert.That(h.Fake.TokenRequestCount, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task GetToken_InLastMinute_ExtendsByFiveMinutes()
    {
        await using var h = new FakeHarness(host);
        var first = await h.GetTokenAsync();

        h.Time.Advance(TimeSpan.FromMinutes(29.5));
        var second = await h.GetTokenAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)second["access_token"]!, Is.EqualTo((string)first["access_token"]!));
            Assert.That((long)second["expired_at"]!, Is.EqualTo((long)first["expired_at"]! + 300));
        }
    }

    [Test]
    public async Task GetToken_AfterExpiry_IssuesNewTokenAndOldOneIsRejected()
    {
        await using var h = new FakeHarness(host);
        var first = await h.GetTokenAsync();
        var oldToken = (string)first["access_token"]!;

        h.Time.Advance(TimeSpan.FromMinutes(30));
        var (oldStatus, oldJson) = await h.SendAsync(HttpMethod.Get, "payments/imp_000000000000", token: oldToken);
        var second = await h.GetTokenAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(oldStatus, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(oldJson!.ToJsonString(), Is.EqualTo("""{"code":-1,"message":"Unauthorized","response":null}"""));
            Assert.That((string)second["access_token"]!, Is.Not.EqualTo(oldToken));
            Assert.That(h.Fake.TokensIssuedCount, Is.EqualTo(2));
        }
    }

    [Test]
    public async Task GetToken_WrongSecret_Http401Envelope()
    {
        await using var h = new FakeHarness(host);

        var (status, json) = await h.PostAsync("users/getToken", new { imp_key = "fake_imp_key", imp_secret = "wrong" });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((int)json!["code"]!, Is.EqualTo(-1));
            Assert.That((string?)json["message"], Is.EqualTo("Unauthorized"));
        }
    }

    [Test]
    public async Task GetToken_FormBody_Accepted()
    {
        await using var h = new FakeHarness(host);

        var (status, json) = await h.SendAsync(HttpMethod.Post, "users/getToken", "imp_key=fake_imp_key&imp_secret=fake_imp_secret", form: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((int)json!["code"]!, Is.Zero);
        }
    }

    [TestCase("Authorization", "Bearer {0}")]
    [TestCase("Authorization", "{0}")]
    [TestCase("X-ImpTokenHeader", "{0}")]
    public async Task Api_EachTokenForm_Accepted(string header, string format)
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        var token = (string)(await h.GetTokenAsync())["access_token"]!;

        using var request = new HttpRequestMessage(HttpMethod.Get, "subscribe/customers/cust_1");
        request.Headers.TryAddWithoutValidation(header, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, token));
        request.Headers.TryAddWithoutValidation("Tier", "sub1");
        using var response = await h.Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCase(null)]
    [TestCase("Bearer not-a-token")]
    public async Task Api_MissingOrUnknownToken_Http401(string? authorization)
    {
        await using var h = new FakeHarness(host);
        using var request = new HttpRequestMessage(HttpMethod.Post, "subscribe/payments/again")
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await h.Client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"code":-1,"message":"Unauthorized","response":null}"""));
        }
    }

    [Test]
    public async Task RevokeTokens_NextCallUnauthorized_NewTokenWorks()
    {
        await using var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        var old = (string)(await h.GetTokenAsync())["access_token"]!;

        h.Fake.RevokeTokens();
        var (revokedStatus, _) = await h.GetAsync("subscribe/customers/cust_1");
        var fresh = (string)(await h.GetTokenAsync())["access_token"]!;
        var (freshStatus, _) = await h.GetAsync("subscribe/customers/cust_1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(revokedStatus, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(fresh, Is.Not.EqualTo(old));
            Assert.That(freshStatus, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task GetToken_ServerClockSkew_ShiftsNowAndExpiryTogether()
    {
        await using var h = new FakeHarness(host, o => o.ServerClockSkew = TimeSpan.FromMinutes(-7));

        var token = await h.GetTokenAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((long)token["now"]!, Is.EqualTo(FakeHarness.Start.ToUnixTimeSeconds() - 420));
            Assert.That((long)token["expired_at"]! - (long)token["now"]!, Is.EqualTo(1800));
        }
    }

    [Test]
    public async Task UnknownRoute_Http404Envelope()
    {
        await using var h = new FakeHarness(host);

        var (status, json) = await h.GetAsync("no/such/route");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((int)json!["code"]!, Is.Not.Zero);
            Assert.That(json["response"], Is.Null);
            Assert.That(h.Fake.RequestCount(FakeRoutes.Unknown), Is.EqualTo(1));
        }
    }
}
