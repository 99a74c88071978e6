using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>A token goes into a header verbatim: only visible ASCII of bounded length is accepted, anything else is
/// refused at getToken, never cached and never sent.</summary>
public class TokenShapeTests
{
    private static IEnumerable<TestCaseData> BadTokens()
    {
        yield return new TestCaseData("tok_abc\rX-Injected: 1").SetName("ChargeBillingKeyAsync_TokenWithCR_IamportExceptionNothingCachedNothingCharged");
        yield return new TestCaseData("tok_abc\nX-Injected: 1").SetName("ChargeBillingKeyAsync_TokenWithLF_IamportExceptionNothingCachedNothingCharged");
        yield return new TestCaseData("tok_abc\0def").SetName("ChargeBillingKeyAsync_TokenWithNul_IamportExceptionNothingCachedNothingCharged");
        yield return new TestCaseData("tok abc").SetName("ChargeBillingKeyAsync_TokenWithSpace_IamportExceptionNothingCachedNothingCharged");
        yield return new TestCaseData("tok_토큰").SetName("ChargeBillingKeyAsync_NonAsciiToken_IamportExceptionNothingCachedNothingCharged");
        yield return new TestCaseData(new string('a', 10 * 1024)).SetName("ChargeBillingKeyAsync_TenKilobyteToken_IamportExceptionNothingCachedNothingCharged");
        yield return new TestCaseData("").SetName("ChargeBillingKeyAsync_EmptyToken_IamportExceptionNothingCachedNothingCharged");
    }

    [TestCaseSource(nameof(BadTokens))]
    public async Task ChargeBillingKeyAsync_BadToken_IamportExceptionNothingCachedNothingCharged(string token)
    {
        var server = new ScriptedIamport();
        string body = $$$"""{"code":0,"message":null,"response":{"access_token":{{{JsonSerializer.Serialize(token)}}},"now":{{{Api.ServerNow}}},"expired_at":{{{Api.ServerNow + 1800}}}}}""";
        server.OnToken = _ => ScriptedIamport.Json(body);
        IamportClient client = server.Client();

        Task<ChargeResult> first = client.ChargeBillingKeyAsync(Api.Charge());
        Task completed = await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(10)));
        var refused = Assert.ThrowsAsync<IamportException>(() => first);
        var again = Assert.ThrowsAsync<IamportException>(() => client.ChargeBillingKeyAsync(Api.Charge()));

        server.OnToken = _ => ScriptedIamport.Json(Api.Token(ScriptedIamport.Token));
        ChargeResult later = await client.ChargeBillingKeyAsync(Api.Charge());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completed, Is.SameAs(first), "refused at once, not after a timeout");
            Assert.That(refused!.Path, Is.EqualTo("/users/getToken"));
            Assert.That(refused.MayHaveBeenApplied, Is.False);
            Assert.That(refused.Message, Does.Contain("access_token not usable"));
            Assert.That(again!.Path, Is.EqualTo("/users/getToken"), "nothing was cached: the next call asks again");
            Assert.That(server.Tokens, Is.EqualTo(3));
            Assert.That(later.IsApproved, Is.True, "a later good token works");
            Assert.That(server.Charges, Is.EqualTo(1), "only the call with the good token charged");
        }
    }
}
