using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Faults;

[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class FaultTests(FakeHost host)
{
    private static readonly int[] TwoFaultsThenOk = [1, 1, 0];
    private static readonly int[] FirstTwo = [1, 2];

    private async Task<FakeHarness> ReadyAsync()
    {
        var h = new FakeHarness(host);
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        return h;
    }

    private static JsonObject Charge(string merchantUid) =>
        new() { ["customer_uid"] = "cust_1", ["merchant_uid"] = merchantUid, ["amount"] = 1000, ["name"] = "n" };

    [Test]
    public async Task Latency_AnswersOnlyAfterFakeClockAdvances()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(TimeSpan.FromSeconds(40)));

        var pending = h.PostAsync("subscribe/payments/again", Charge("order-1"));

        // The request runs on the server's own thread: advance the clock once the fault holds it.
        while (h.Fake.Faults.Injected.Count == 0 && !pending.IsCompleted)
        {
            await Task.Yield();
        }

        var completedEarly = pending.IsCompleted;
        h.Time.Advance(TimeSpan.FromSeconds(40));
        var (status, json) = await pending;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completedEarly, Is.False);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)json!["response"]!["status"]!, Is.EqualTo("paid"));
        }
    }

    /// <summary>The clock moved in seeded steps the moment the request arrived, racing the latency's timer as it is
    /// armed: the answer waits for the last step (a timer armed after a step counted from the stepped time, and waited
    /// past it for good, before the wait was set on the clock's time).</summary>
    [Test]
    public async Task Latency_ClockAdvancedInStepsAsTheRequestArrives_AnswersAtTheLastStep()
    {
        await using var h = await ReadyAsync();
        var random = new Random(17);
        var latency = TimeSpan.FromSeconds(40);
        for (var trial = 0; trial < 100; trial++)
        {
            await h.GetTokenAsync(); // a token lasts 30 minutes of the clock the trials move
            h.Fake.Faults.Next(FakeRoutes.Again, Fault.Latency(latency));
            var before = h.Fake.RequestCount(FakeRoutes.Again);
            var pending = h.PostAsync("subscribe/payments/again", Charge("order-" + trial));
            while (h.Fake.RequestCount(FakeRoutes.Again) == before)
            {
                await Task.Yield();
            }

            var steps = random.Next(1, 5);
            var left = latency;
            var answeredEarly = false;
            for (var step = 1; step <= steps; step++)
            {
                for (var spin = random.Next(0, 40); spin > 0; spin--)
                {
                    await Task.Yield();
                }

                // At least a second for each step still to come.
                var by = step == steps ? left : TimeSpan.FromSeconds(random.Next(1, (int)left.TotalSeconds - (steps - step) + 1));
                answeredEarly |= pending.IsCompleted;
                h.Time.Advance(by);
                left -= by;
            }

            var (status, json) = await pending.WaitAsync(TimeSpan.FromSeconds(30)); // bounds a hang; the answer comes on the last step
            using (Assert.EnterMultipleScope())
            {
                Assert.That(answeredEarly, Is.False, $"trial {trial}: answered before the clock reached the latency");
                Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"trial {trial}");
                Assert.That((string)json!["response"]!["status"]!, Is.EqualTo("paid"), $"trial {trial}");
            }
        }
    }

    [Test]
    public async Task DropResponseAfterCommit_ClientSeesResetButChargeStands()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());

        Assert.That(() => h.PostAsync("subscribe/payments/again", Charge("order-1")), Throws.InstanceOf<HttpRequestException>());
        var (_, found) = await h.GetAsync("payments/find/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
            Assert.That((string)found!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That(h.Fake.Webhooks, Has.Count.EqualTo(1), "the approval webhook still goes out");
        }
    }

    [Test]
    public async Task DropResponseAfterCommit_AsTimeout_TaskCanceledInProcessResetOverKestrel()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit(asTimeout: true));

        // A socket cannot fake a timeout without one: over Kestrel the lost reply is always a reset.
        var expected = host == FakeHost.InProcess ? typeof(TaskCanceledException) : typeof(HttpRequestException);
        Assert.That(() => h.PostAsync("subscribe/payments/again", Charge("order-1")), Throws.InstanceOf(expected));
        Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
    }

    [Test]
    public async Task DropResponseRecordLater_ReplyLostAndLookUpsFindTheChargeOnlyAfterTheDelay()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseRecordLater(TimeSpan.FromSeconds(30)));

        Assert.That(() => h.PostAsync("subscribe/payments/again", Charge("order-1")), Throws.InstanceOf<HttpRequestException>());
        var (hidden, _) = await h.GetAsync("payments/find/order-1");
        h.Time.Advance(TimeSpan.FromSeconds(30));
        var (found, json) = await h.GetAsync("payments/find/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(hidden, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(found, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)json!["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ResetBeforeCommit_NothingApplied()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ResetBeforeCommit());

        Assert.That(() => h.PostAsync("subscribe/payments/again", Charge("order-1")), Throws.InstanceOf<HttpRequestException>());
        var (status, _) = await h.GetAsync("payments/find/order-1");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.Payments, Is.Empty);
            Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        }
    }

    [Test]
    public async Task ServerErrorHtml_500HtmlAndNothingApplied()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ServerErrorHtml());

        using var request = new HttpRequestMessage(HttpMethod.Post, "subscribe/payments/again")
        {
            Content = new StringContent(Charge("order-1").ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", h.Token);
        using var response = await h.Client.SendAsync(request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("<!DOCTYPE html>"));
            Assert.That(h.Fake.Payments, Is.Empty);
        }
    }

    [Test]
    public async Task ErrorEnvelope_Http200CodeNonZeroAndNothingApplied()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ErrorEnvelope(1, "비인증결제모듈 사용정보를 찾을 수 없습니다."));

        var json = await h.AgainAsync("cust_1", "order-1", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((int)json["code"]!, Is.EqualTo(1));
            Assert.That((string)json["message"]!, Is.EqualTo("비인증결제모듈 사용정보를 찾을 수 없습니다."));
            Assert.That(h.Fake.Payments, Is.Empty);
        }
    }

    [Test]
    public async Task RevokeToken_401ThenFreshTokenWorks()
    {
        await using var h = await ReadyAsync();
        var old = h.Token;
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.RevokeToken());

        var (status, _) = await h.PostAsync("subscribe/payments/again", Charge("order-1"));
        await h.GetTokenAsync();
        var retried = await h.AgainAsync("cust_1", "order-1", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(h.Token, Is.Not.EqualTo(old));
            Assert.That((string)retried["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That(h.Fake.PaidChargeCount("order-1"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task SkewNow_OnGetToken_ShiftsReportedTimesOnce()
    {
        await using var h = new FakeHarness(host);
        h.Fake.Faults.Next(FakeRoutes.GetToken, Fault.SkewNow(TimeSpan.FromMinutes(10)));

        var skewed = await h.GetTokenAsync();
        var normal = await h.GetTokenAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((long)skewed["now"]!, Is.EqualTo(FakeHarness.Start.ToUnixTimeSeconds() + 600));
            Assert.That((long)skewed["expired_at"]! - (long)skewed["now"]!, Is.EqualTo(1800));
            Assert.That((long)normal["now"]!, Is.EqualTo(FakeHarness.Start.ToUnixTimeSeconds()));
        }
    }

    [Test]
    public async Task Next_WithCount_FaultsExactlyThatManyRequests()
    {
        await using var h = await ReadyAsync();
        h.Fake.Faults.Next(FakeRoutes.Again, Fault.ErrorEnvelope(), count: 2);

        var codes = new int[3];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (int)(await h.AgainAsync("cust_1", "order-1", 1000))["code"]!;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(codes, Is.EqualTo(TwoFaultsThenOk));
            Assert.That(h.Fake.Faults.Injected.Select(f => f.RequestNumber), Is.EqualTo(FirstTwo));
        }
    }

    [Test]
    public async Task UseRandom_SameSeed_SameFaultsAndChargesMatchWhatWasCommitted()
    {
        Fault[] faults = [Fault.DropResponseAfterCommit(), Fault.ResetBeforeCommit(), Fault.ServerErrorHtml(), Fault.ErrorEnvelope()];
        string[] routes = [FakeRoutes.Again];

        async Task<(string Kinds, int Charges, int Committed)> RunAsync()
        {
            await using var h = await ReadyAsync();
            h.Fake.Faults.UseRandom(seed: 42, rate: 0.3, routes, faults);
            var committed = 0;
            for (var i = 0; i < 40; i++)
            {
                try
                {
                    var (status, json) = await h.PostAsync("subscribe/payments/again", Charge("order-" + i));
                    committed += status == HttpStatusCode.OK && (int)json!["code"]! == 0 ? 1 : 0;
                }
                catch (HttpRequestException)
                {
                    // Outcome unknown to the caller; the fake knows.
                }
            }

            var injected = h.Fake.Faults.Injected;
            var dropped = injected.Count(f => f.Fault.Kind == FaultKind.DropResponseAfterCommit);
            return (string.Join(",", injected.Select(f => f.RequestNumber + f.Fault.Kind.ToString())), h.Fake.Payments.Count, committed + dropped);
        }

        var first = await RunAsync();
        var second = await RunAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Kinds, Is.EqualTo(first.Kinds));
            Assert.That(first.Kinds, Is.Not.Empty);
            Assert.That(first.Charges, Is.EqualTo(first.Committed));
            Assert.That(first.Charges, Is.LessThan(40));
        }
    }
}
