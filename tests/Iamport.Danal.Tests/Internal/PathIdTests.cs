using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests.Internal;

/// <summary>Every id that goes into a request path is refused, naming the field, before anything is sent, when it would change the route.</summary>
public class PathIdTests
{
    private const string RouteRule = "must not be '.' or '..'";

    /// <summary>Dot segments, separators and their percent-encoded forms (once and twice encoded).</summary>
    private static readonly string[] RouteChangers =
    [
        ".", "..", "a/../b", "../payments/cancel", "%2e", "%2E", "%2e%2e", "%2E%2e", ".%2e", "%2e.", "%252e%252e",
        "a%2fb", "a%2Fb", "%2f", "a%5cb", "a\\b", "a?b", "a%3fb", "a#b", "a%23b", "..;x", "%2e%2e;x", "a\tb", "a%0ab", "a\u0000b",
    ];

    /// <summary>Every client call that puts an id into a path: what it calls, the parameter it should name, and the I'mport field.</summary>
    private static IEnumerable<(string Call, string Param, string Field, Func<IamportClient, string, Task> Run)> Routes()
    {
        var future = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        ScheduleRequest[] charges = [new() { MerchantUid = "m_1", ScheduleAt = future, Amount = 1000m, Name = "구독" }];
        yield return ("GetPaymentAsync", "impUid", "imp_uid", (c, id) => c.GetPaymentAsync(id));
        yield return ("GetPaymentByMerchantUidAsync", "merchantUid", "merchant_uid", (c, id) => c.GetPaymentByMerchantUidAsync(id));
        yield return ("GetPaymentsByMerchantUidAsync", "merchantUid", "merchant_uid", async (c, id) =>
        {
            await foreach (Payment _ in c.GetPaymentsByMerchantUidAsync(id))
            {
            }
        });
        yield return ("GetPreparedPaymentAsync", "merchantUid", "merchant_uid", (c, id) => c.GetPreparedPaymentAsync(id));
        yield return ("GetBillingKeyAsync", "customerUid", "customer_uid", (c, id) => c.GetBillingKeyAsync(id));
        yield return ("DeleteBillingKeyAsync", "customerUid", "customer_uid", (c, id) => c.DeleteBillingKeyAsync(id, "탈퇴"));
        yield return ("GetPaymentsByCustomerUidAsync", "customerUid", "customer_uid", (c, id) => c.GetPaymentsByCustomerUidAsync(id).AsPages().ToListAsync().AsTask());
        yield return ("GetScheduleAsync", "merchantUid", "merchant_uid", (c, id) => c.GetScheduleAsync(id));
        yield return ("GetSchedulesAsync", "customerUid", "customer_uid", (c, id) => c.GetSchedulesByCustomerUidAsync(id, future, future.AddDays(1)).AsPages().ToListAsync().AsTask());
        yield return ("ScheduleAsync", "customerUid", "customer_uid", (c, id) => c.ScheduleAsync(id, charges));
        yield return ("UnscheduleAsync", "customerUid", "customer_uid", (c, id) => c.UnscheduleAllAsync(id));
        yield return ("UnscheduleAsync merchant_uid", "merchantUids[0]", "merchant_uid", (c, id) => c.UnscheduleAsync("cust_1", [id]));
        yield return ("ChargeBillingKeyAsync", "request.CustomerUid", "customer_uid", (c, id) => c.ChargeBillingKeyAsync(new ChargeRequest
        {
            CustomerUid = id, MerchantUid = "m_1", Amount = 1000m, Name = "구독",
        }));
        yield return ("VerifyPaymentAsync", "impUid", "imp_uid", (c, id) => c.VerifyPaymentAsync(id, new VerifyPaymentRequest { MerchantUid = "m_1", Amount = 1000m }));
        yield return ("VerifyPaymentAsync by merchant_uid", "expected.MerchantUid", "merchant_uid", (c, id) => c.VerifyPaymentAsync(new VerifyPaymentRequest { MerchantUid = id, Amount = 1000m }));
        yield return ("VerifyPaymentAsync issuance", "expected.CustomerUid", "customer_uid", (c, id) =>
            c.VerifyPaymentAsync("imp_1", new VerifyPaymentRequest { MerchantUid = "m_1", Amount = 0m, CustomerUid = id, IsIssuance = true }));
        yield return ("VerifyWebhookAsync", "impUid", "imp_uid", (c, id) =>
            c.VerifyWebhookAsync(new WebhookNotification { ImpUid = id, MerchantUid = "m_1", Status = PaymentStatus.Paid }, new VerifyPaymentRequest { MerchantUid = "m_1", Amount = 1000m }));
    }

    private static IEnumerable<TestCaseData> RouteChangingIds()
    {
        foreach (var route in Routes())
        {
            foreach (string id in RouteChangers)
            {
                yield return new TestCaseData(route.Run, id, route.Param, route.Field)
                    .SetArgDisplayNames(route.Call, Uri.EscapeDataString(id));
            }
        }
    }

    private static IEnumerable<TestCaseData> LoneSurrogateIds()
    {
        foreach (var route in Routes())
        {
            yield return new TestCaseData(route.Run, "cust\ud800", route.Param, route.Field).SetArgDisplayNames(route.Call, "high surrogate alone");
            yield return new TestCaseData(route.Run, "\udc00cust", route.Param, route.Field).SetArgDisplayNames(route.Call, "low surrogate alone");
        }
    }

    private static IEnumerable<TestCaseData> SafeIds()
    {
        foreach (var route in Routes())
        {
            yield return new TestCaseData(route.Run).SetArgDisplayNames(route.Call);
        }
    }

    [TestCaseSource(nameof(RouteChangingIds))]
    public void Call_IdChangesRoute_ThrowsNamingFieldAndSendsNothing(Func<IamportClient, string, Task> run, string id, string param, string field)
    {
        AssertRefused(run, id, param, field, RouteRule);
    }

    [TestCaseSource(nameof(LoneSurrogateIds))]
    public void Call_IdHasLoneSurrogate_ThrowsNamingFieldAndSendsNothing(Func<IamportClient, string, Task> run, string id, string param, string field)
    {
        AssertRefused(run, id, param, field, "unpaired UTF-16 surrogate");
    }

    /// <summary>The control: ids with dots, '%' and other characters that keep the route are sent (so the refusals above are the rule's, not an accident).</summary>
    [TestCaseSource(nameof(SafeIds))]
    public async Task Call_IdWithDotsThatKeepRoute_IsSent(Func<IamportClient, string, Task> run)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        MockedRequest sent = mock.When("*").Respond(HttpStatusCode.BadRequest, "application/json", """{"code":-1,"message":"refused","response":null}""");

        try
        {
            await run(Api.Client(mock), "a.b...c%zz");
        }
        catch (IamportException)
        {
            // I'mport's refusal is not this test's concern, only that the request left.
        }

        Assert.That(mock.GetMatchCount(sent), Is.GreaterThan(0), "a route-keeping id is sent");
    }

    [Test]
    public void FindPaymentAsync_StatusChangesRoute_ThrowsNamingStatusAndSendsNothing()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(HttpStatusCode.MethodNotAllowed);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Api.Client(mock).GetPaymentByMerchantUidAsync("m_1", new PaymentStatus("..")));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo("status"));
            Assert.That(ex.Message, Does.Contain(RouteRule));
            Assert.That(mock.GetMatchCount(anything), Is.Zero);
        }
    }

    private static void AssertRefused(Func<IamportClient, string, Task> run, string id, string param, string field, string rule)
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest anything = mock.When("*").Respond(HttpStatusCode.MethodNotAllowed);

        var ex = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => run(Api.Client(mock), id)) as ArgumentException;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.ParamName, Is.EqualTo(param));
            Assert.That(ex.Message, Does.StartWith(field + " "));
            Assert.That(ex.Message, Does.Contain(rule));
            Assert.That(mock.GetMatchCount(anything), Is.Zero, "nothing is sent to I'mport, not even getToken");
        }
    }
}
