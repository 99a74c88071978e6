using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>No token means nothing was sent: said at once, never "the card may have been charged".</summary>
public class TokenFailureTests
{
    private static IEnumerable<TestCaseData> TokenFailures()
    {
        static TestCaseData Case(string name, Func<HttpRequestMessage, HttpResponseMessage> reply) =>
            new TestCaseData(reply).SetName("ChargeBillingKeyAsync_GetToken" + name + "_ThrowsAtOnceWithoutSendingTheCharge");
        yield return Case("500Html", _ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("<html>500</html>") });
        yield return Case("Code0NullResponse", _ => ScriptedIamport.Json("{\"code\":0,\"response\":null}"));
        yield return Case("Code0NoAccessToken", _ => ScriptedIamport.Json("{\"code\":0,\"response\":{\"now\":1700000000,\"expired_at\":1700001800}}"));
        yield return Case("Refused", _ => ScriptedIamport.Json("{\"code\":-1,\"message\":\"아임포트 API 키가 올바르지 않습니다.\",\"response\":null}", HttpStatusCode.Unauthorized));
        yield return Case("ConnectionReset", _ => throw new HttpRequestException("Connection reset by peer"));
        yield return Case("ExpiredAtBeforeNow", _ => ScriptedIamport.Json(Api.Token(lifetimeSeconds: -5)));
        yield return Case("ExpiredAtEqualsNow", _ => ScriptedIamport.Json(Api.Token(lifetimeSeconds: 0)));
        yield return Case("ExpiredAtNowPlus1e12", _ => ScriptedIamport.Json(Api.Token(lifetimeSeconds: 1_000_000_000_000)));
        yield return Case("NowNegative", _ => ScriptedIamport.Json(Api.Token(now: -1_000_000, lifetimeSeconds: 1800)));
        yield return Case("ExpiredAt1e300", _ => ScriptedIamport.Json("{\"code\":0,\"response\":{\"access_token\":\"t\",\"now\":1700000000,\"expired_at\":1e300}}"));
    }

    [TestCaseSource(nameof(TokenFailures))]
    public async Task ChargeBillingKeyAsync_TokenFailure_ThrowsAtOnceWithoutSendingTheCharge(Func<HttpRequestMessage, HttpResponseMessage> reply)
    {
        using var server = new ScriptedIamport { OnToken = reply };
        DateTimeOffset start = server.Time.GetUtcNow();

        // The fake clock never moves: a reconciliation pause would never end, and WaitAsync would give up instead.
        Task<ChargeResult> charge = server.Client().ChargeBillingKeyAsync(Api.Charge());
        Exception? thrown = null;
        try
        {
            await charge.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            thrown = ex;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(thrown, Is.InstanceOf<IamportException>().And.Not.InstanceOf<IamportOutcomeUnknownException>());
            Assert.That(((IamportException)thrown!).Path, Is.EqualTo("/users/getToken"));
            Assert.That(server.Charges, Is.Zero, "nothing was sent");
            Assert.That(server.Finds, Is.Zero, "nothing to reconcile");
            Assert.That(server.Time.GetUtcNow(), Is.EqualTo(start));
        }
    }

    [Test]
    public async Task AnyCall_TokenLivesShorterThanTheMargin_RefreshedAtHalfItsLifeNotPerCall()
    {
        // A 30 s token with the default 60 s margin: refreshed after 15 s, not for every call.
        using var server = new ScriptedIamport { OnToken = _ => ScriptedIamport.Json(Api.Token(ScriptedIamport.Token, lifetimeSeconds: 30)) };
        IamportClient client = server.Client();

        for (int i = 0; i < 100; i++)
        {
            ChargeResult result = await client.ChargeBillingKeyAsync(Api.Charge());
            Assert.That(result.IsApproved, Is.True);
            server.Time.Advance(TimeSpan.FromSeconds(0.25));
        }

        Assert.That(server.Tokens, Is.InRange(1, 2), "100 calls over 25 s of a 30 s token");
        Assert.That(server.Tokens, Is.EqualTo(2), "and refreshed once, at 15 s");
    }

    [Test]
    public async Task AnyCall_TokenFailedOnce_NextCallFetchesAgain()
    {
        int tokens = 0;
        using var server = new ScriptedIamport
        {
            OnToken = _ => ++tokens == 1 ? ScriptedIamport.Json("{\"code\":0,\"response\":null}") : ScriptedIamport.Json(Api.Token()),
        };
        IamportClient client = server.Client();

        Assert.ThrowsAsync<IamportException>(() => client.ChargeBillingKeyAsync(Api.Charge()));
        ChargeResult result = await client.ChargeBillingKeyAsync(Api.Charge());

        Assert.That(result.IsApproved, Is.True);
        Assert.That(server.Charges, Is.EqualTo(1));
    }
}
