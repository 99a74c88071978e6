using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using static Iamport.Danal.Tests.TestSupport.Api;

namespace Iamport.Danal.Tests.Schedules;

/// <summary><c>POST /subscribe/payments/unschedule</c> with <c>merchant_uid[]</c> and no <c>customer_uid</c>: the
/// schema revokes those schedules whatever their key.</summary>
public class UnscheduleByMerchantUidsTests
{
    [TestCase("order_sched_0001")]
    [TestCase("order_sched_0001,order_sched_0002,sub-42_2026-12")]
    public async Task UnscheduleAsync_MerchantUidsOnly_SendsNoCustomerUid(string list)
    {
        string[] merchantUids = list.Split(',');
        using var api = new ApiFixture();
        SentBody sent = api.Expect(HttpMethod.Post, "/subscribe/payments/unschedule", Fixture("schedules-revoked.json"));

        IReadOnlyList<Schedule> revoked = await api.Client.UnscheduleAsync(merchantUids);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Json?.ToJsonString(), Is.EqualTo("""{"merchant_uid":[""" + string.Join(",", Array.ConvertAll(merchantUids, m => "\"" + m + "\"")) + "]}"));
            Assert.That(revoked[0].ScheduleStatus, Is.EqualTo(ScheduleStatus.Revoked));
            Assert.That(revoked[0].CustomerUid, Is.EqualTo("cust_0001"), "the answer names each schedule's key");
        }

        api.Mock.VerifyNoOutstandingExpectation();
    }

    [Test]
    public void UnscheduleAsync_EmptyList_ThrowsInsteadOfSendingAnEmptyRequest()
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.UnscheduleAsync(Array.Empty<string>()), Throws.ArgumentException.With.Property("ParamName").EqualTo("merchantUids"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void UnscheduleAsync_NullList_ThrowsArgumentNull()
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.UnscheduleAsync((IReadOnlyList<string>)null!), Throws.ArgumentNullException.With.Property("ParamName").EqualTo("merchantUids"));
    }

    [TestCase("", "merchantUids[1]")]
    [TestCase("a/../b", "merchantUids[1]")]
    [TestCase("o_12345678901234567890123456789012345678901", "merchantUids[1]")]
    public void UnscheduleAsync_BadMerchantUid_ThrowsNamingItsIndexAndSendsNothing(string bad, string param)
    {
        using var api = new ApiFixture();

        Assert.That(() => api.Client.UnscheduleAsync(["order_sched_0001", bad]), Throws.ArgumentException.With.Property("ParamName").EqualTo(param).And.Message.Contains("merchant_uid"));
        Assert.That(api.RequestsSent, Is.Zero);
    }

    [Test]
    public void UnscheduleAsync_NothingToRevoke_ThrowsIamportException()
    {
        using var api = new ApiFixture();
        api.Expect(HttpMethod.Post, "/subscribe/payments/unschedule", Fixture("unschedule-nothing.json"));

        var ex = Assert.ThrowsAsync<IamportException>(() => api.Client.UnscheduleAsync(["order_sched_0001"]));

        Assert.That(ex!.ApiMessage, Is.EqualTo("취소할 예약결제 기록이 존재하지 않습니다."));
        api.Mock.VerifyNoOutstandingExpectation();
    }
}
