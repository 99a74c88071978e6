// Literal expected arrays read best inline; these tests run once each.
#pragma warning disable CA1861
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Webhooks;

/// <summary>The fake's webhook dispatcher over real HTTP to a loopback receiver: resends, duplicates, delays, reorders,
/// losses, an aborted window request, and console cancels. Time is a FakeTimeProvider stepped with WhenWebhooksIdleAsync.</summary>
[TestFixture(FakeHost.InProcess)]
[TestFixture(FakeHost.Kestrel)]
public class WebhookDeliveryTests(FakeHost host)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Test]
    public async Task ResendWebhooks_ReceiverFailsTwiceThenSucceeds_ThreeAttemptsOneMinuteApart()
    {
        // 503, then a dropped connection, then 200.
        await using var receiver = await LoopbackReceiver.StartAsync((n, _) => Task.FromResult(n switch { 1 => 503, 2 => LoopbackReceiver.Abort, _ => 200 }));
        await using var h = await ChargedAsync(receiver, o => o.ResendWebhooks = true);

        for (var i = 0; i < 4; i++)
        {
            await h.Fake.WhenWebhooksIdleAsync();
            h.Time.Advance(Minute);
        }

        await h.Fake.WhenWebhooksSentAsync();
        var sent = h.Fake.Webhooks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Select(w => w.Attempt), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(sent.Select(w => w.SentAt - FakeHarness.Start), Is.EqualTo(new[] { TimeSpan.Zero, Minute, 2 * Minute }));
            Assert.That(sent.Select(w => w.ResponseStatusCode), Is.EqualTo(new int?[] { 503, null, 200 }));
            Assert.That(sent[1].Error, Is.Not.Null);
            Assert.That(receiver.Bodies, Has.Count.EqualTo(3).And.All.EqualTo(receiver.Bodies[0]));
        }
    }

    [Test]
    public async Task ResendWebhooks_ReceiverAlwaysFails_StopsAfterFiveResends()
    {
        await using var receiver = await LoopbackReceiver.StartAsync((_, _) => Task.FromResult(500));
        await using var h = await ChargedAsync(receiver, o => o.ResendWebhooks = true);

        for (var i = 0; i < 10; i++)
        {
            await h.Fake.WhenWebhooksIdleAsync();
            h.Time.Advance(Minute);
        }

        await h.Fake.WhenWebhooksSentAsync();
        var sent = h.Fake.Webhooks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Select(w => w.Attempt), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(sent.Select(w => w.SentAt - FakeHarness.Start), Is.EqualTo(Enumerable.Range(0, 6).Select(i => i * Minute)));
            Assert.That(receiver.Bodies, Has.Count.EqualTo(6));
        }
    }

    [Test]
    public async Task ResendWebhooks_SeededFailureCounts_AttemptsAreFailuresPlusOneUpToSix([Range(0, 7)] int failures)
    {
        // Each failure is a 5xx or a dropped connection, drawn from a seed; the answer after them is 200.
        var seed = 1000 + failures;
        TestContext.Out.WriteLine("seed " + seed);
        var random = new Random(seed);
        int[] kinds = [500, 502, 503, 504, LoopbackReceiver.Abort];
        var script = Enumerable.Range(0, failures).Select(_ => kinds[random.Next(kinds.Length)]).ToArray();
        await using var receiver = await LoopbackReceiver.StartAsync((n, _) => Task.FromResult(n <= script.Length ? script[n - 1] : 200));
        await using var h = await ChargedAsync(receiver, o => o.ResendWebhooks = true);

        for (var i = 0; i < 8; i++)
        {
            await h.Fake.WhenWebhooksIdleAsync();
            h.Time.Advance(Minute);
        }

        await h.Fake.WhenWebhooksSentAsync();
        var attempts = Math.Min(failures + 1, 6);
        var sent = h.Fake.Webhooks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Select(w => w.Attempt), Is.EqualTo(Enumerable.Range(1, attempts)));
            Assert.That(sent.Select(w => w.SentAt - FakeHarness.Start), Is.EqualTo(Enumerable.Range(0, attempts).Select(i => i * Minute)));
            Assert.That(sent[^1].ResponseStatusCode, failures <= 5 ? Is.EqualTo(200) : Is.Not.EqualTo(200));
            Assert.That(receiver.Bodies, Has.Count.EqualTo(attempts));
        }
    }

    [TestCase(false, 500, 1)]
    [TestCase(true, 400, 1)]
    [TestCase(true, 404, 1)]
    [TestCase(true, 502, 6)]
    public async Task ResendWebhooks_ReceiverAnswers_ResentOnlyWhenEnabledAndServerError(bool resend, int status, int expectedAttempts)
    {
        await using var receiver = await LoopbackReceiver.StartAsync((_, _) => Task.FromResult(status));
        await using var h = await ChargedAsync(receiver, o => o.ResendWebhooks = resend);

        for (var i = 0; i < 7; i++)
        {
            await h.Fake.WhenWebhooksIdleAsync();
            h.Time.Advance(Minute);
        }

        await h.Fake.WhenWebhooksSentAsync();
        Assert.That(receiver.Bodies, Has.Count.EqualTo(expectedAttempts));
    }

    [Test]
    public async Task ResendWebhooks_ReceiverHangs_FirstTimesOutAt30SecondsResendAt15()
    {
        // The first and the second request hang until the sender gives up; the third is answered.
        await using var receiver = await LoopbackReceiver.StartAsync(async (n, aborted) =>
        {
            if (n < 3)
            {
                await Task.Delay(Timeout.Infinite, aborted);
            }

            return 200;
        });
        await using var h = await HarnessAsync(receiver, o => o.ResendWebhooks = true);

        var charge = h.AgainAsync("cust_1", "order-1", 1000);
        await receiver.WhenReceivedAsync(1);
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await charge;
        await h.Fake.WhenWebhooksIdleAsync();
        h.Time.Advance(Minute);
        await receiver.WhenReceivedAsync(2);
        h.Time.Advance(TimeSpan.FromSeconds(15));
        await h.Fake.WhenWebhooksIdleAsync();
        h.Time.Advance(Minute);
        await h.Fake.WhenWebhooksSentAsync();

        var sent = h.Fake.Webhooks;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Select(w => w.ResponseStatusCode), Is.EqualTo(new int?[] { null, null, 200 }));
            Assert.That(sent[0].Error, Does.Contain("30 s"));
            Assert.That(sent[1].Error, Does.Contain("15 s"));
            Assert.That(sent.Select(w => (w.SentAt - FakeHarness.Start).TotalSeconds), Is.EqualTo(new[] { 0d, 90, 165 }));
        }
    }

    [Test]
    public async Task DuplicateWebhook_ThreeExtraCopies_AllArriveBeforeTheAnswer()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        h.Fake.Faults.NextWebhook("order-1", Fault.DuplicateWebhook(3));

        await h.AgainAsync("cust_1", "order-1", 1000);
        var received = receiver.Bodies;
        await h.AgainAsync("cust_1", "order-2", 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(received, Has.Count.EqualTo(4).And.All.Contains("\"order-1\""));
            Assert.That(received.Distinct().Count(), Is.EqualTo(1));
            Assert.That(h.Fake.Webhooks.Where(w => w.MerchantUid == "order-1").Select(w => w.Copy), Is.EqualTo(new[] { 0, 1, 2, 3 }));
            Assert.That(receiver.Bodies.Count(b => b.Contains("\"order-2\"", StringComparison.Ordinal)), Is.EqualTo(1), "the fault was for order-1 only");
            Assert.That(h.Fake.Faults.Injected.Single().MerchantUid, Is.EqualTo("order-1"));
        }
    }

    [Test]
    public async Task DuplicateWebhook_Spaced_CopiesFollowTheClock()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        h.Fake.Faults.Next(FakeRoutes.Webhook, Fault.DuplicateWebhook(2, TimeSpan.FromSeconds(10)));

        await h.AgainAsync("cust_1", "order-1", 1000);
        var afterAnswer = receiver.Bodies.Count;
        await h.Fake.WhenWebhooksIdleAsync();
        h.Time.Advance(TimeSpan.FromSeconds(9));
        await h.Fake.WhenWebhooksIdleAsync();
        var before = receiver.Bodies.Count;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Fake.WhenWebhooksIdleAsync();
        var second = receiver.Bodies.Count;
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterAnswer, Is.EqualTo(1));
            Assert.That(before, Is.EqualTo(1));
            Assert.That(second, Is.EqualTo(2));
            Assert.That(receiver.Bodies, Has.Count.EqualTo(3));
            Assert.That(h.Fake.Webhooks.Select(w => (w.SentAt - FakeHarness.Start).TotalSeconds), Is.EqualTo(new[] { 0d, 10, 20 }));
        }
    }

    [Test]
    public async Task DelayWebhook_FiveSeconds_AnswerFirstThenWebhookWhenTheClockPasses()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        h.Fake.Faults.NextWebhook("order-1", Fault.DelayWebhook(TimeSpan.FromSeconds(5)));

        await h.AgainAsync("cust_1", "order-1", 1000);
        await h.Fake.WhenWebhooksIdleAsync();
        h.Time.Advance(TimeSpan.FromSeconds(4));
        await h.Fake.WhenWebhooksIdleAsync();
        var early = receiver.Bodies.Count;
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(early, Is.Zero);
            Assert.That(receiver.Bodies, Has.Count.EqualTo(1));
            Assert.That(h.Fake.Webhooks.Single().SentAt, Is.EqualTo(FakeHarness.Start.AddSeconds(5)));
        }
    }

    [Test]
    public async Task ReorderWebhook_PaidHeldThenConsoleCancel_CancelledArrivesBeforePaid()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        h.Fake.Faults.NextWebhook("order-1", Fault.ReorderWebhook(TimeSpan.FromMinutes(10)));

        var charge = await h.AgainAsync("cust_1", "order-1", 1000);
        var afterCharge = receiver.Bodies.Count;
        await h.Fake.CancelFromConsoleAsync((string)charge["response"]!["imp_uid"]!, reason: "고객 요청");
        await h.Fake.WhenWebhooksSentAsync();

        var statuses = receiver.Bodies.Select(b => (string)JsonNode.Parse(b)!["status"]!).ToArray();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterCharge, Is.Zero);
            Assert.That(statuses, Is.EqualTo(new[] { "cancelled", "paid" }));
        }
    }

    [Test]
    public async Task ReorderWebhook_NoLaterWebhook_SentAfterMaxHold()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        h.Fake.Faults.NextWebhook("order-1", Fault.ReorderWebhook(TimeSpan.FromSeconds(30), extraCopies: 1));

        await h.AgainAsync("cust_1", "order-1", 1000);
        await h.AgainAsync("cust_1", "order-2", 1000);
        await h.Fake.WhenWebhooksIdleAsync();
        var beforeHold = receiver.Bodies.ToArray();
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(beforeHold, Has.Length.EqualTo(1).And.All.Contains("\"order-2\""), "another payment's webhook does not release it");
            Assert.That(receiver.Bodies.Count(b => b.Contains("\"order-1\"", StringComparison.Ordinal)), Is.EqualTo(2));
        }
    }

    [Test]
    public async Task LoseWebhook_NeverSentNorResent()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver, o => o.ResendWebhooks = true);
        h.Fake.Faults.Next(FakeRoutes.Webhook, Fault.LoseWebhook());

        await h.AgainAsync("cust_1", "order-1", 1000);
        await h.AgainAsync("cust_1", "order-2", 1000);
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(receiver.Bodies, Has.Count.EqualTo(1).And.All.Contains("\"order-2\""));
            Assert.That(h.Fake.Webhooks.Select(w => w.MerchantUid), Is.EqualTo(new[] { "order-2" }));
            Assert.That(h.Fake.Faults.Injected.Single(), Has.Property(nameof(InjectedFault.Route)).EqualTo(FakeRoutes.Webhook)
                .And.Property(nameof(InjectedFault.MerchantUid)).EqualTo("order-1")
                .And.Property(nameof(InjectedFault.RequestNumber)).EqualTo(1));
        }
    }

    [Test]
    public async Task ScheduledRun_WebhookFaults_GoThroughTheSameDispatcher()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        var at = FakeHarness.Start.AddMinutes(5).ToUnixTimeSeconds();
        var (status, _) = await h.PostAsync("subscribe/payments/schedule", new JsonObject
        {
            ["customer_uid"] = "cust_1",
            ["schedules"] = new JsonArray(
                new JsonObject { ["merchant_uid"] = "sched-1", ["schedule_at"] = at, ["amount"] = 4900, ["name"] = "구독" },
                new JsonObject { ["merchant_uid"] = "sched-2", ["schedule_at"] = at, ["amount"] = 4900, ["name"] = "구독" }),
        });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        h.Fake.Faults.NextWebhook("sched-1", Fault.DuplicateWebhook(2));
        h.Fake.Faults.NextWebhook("sched-2", Fault.LoseWebhook());

        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Fake.RunDueSchedulesAsync();
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(receiver.Bodies, Has.Count.EqualTo(3).And.All.Contains("\"sched-1\""));
            Assert.That(h.Fake.PaidChargeCount("sched-2"), Is.EqualTo(1), "the charge ran; only its webhook was lost");
        }
    }

    [Test]
    public async Task ScheduledRun_SeveralDueTogether_TheirWebhooksGoOutSideBySide()
    {
        // Each answer waits until every webhook has arrived: sent one after another, the first would wait alone.
        const int Count = 4;
        LoopbackReceiver? self = null;
        await using var receiver = await LoopbackReceiver.StartAsync(async (_, _) =>
        {
            await self!.WhenReceivedAsync(Count);
            return 200;
        });
        self = receiver;
        await using var h = await HarnessAsync(receiver);
        var at = FakeHarness.Start.AddMinutes(5).ToUnixTimeSeconds();
        var schedules = new JsonArray();
        for (var i = 1; i <= Count; i++)
        {
            schedules.Add(new JsonObject { ["merchant_uid"] = "sched-" + i, ["schedule_at"] = at, ["amount"] = 4900, ["name"] = "구독" });
        }

        var (status, _) = await h.PostAsync("subscribe/payments/schedule", new JsonObject { ["customer_uid"] = "cust_1", ["schedules"] = schedules });
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));

        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Fake.RunDueSchedulesAsync();

        Assert.That(h.Fake.Webhooks.Select(w => (w.MerchantUid, w.ResponseStatusCode, w.Attempt)),
            Is.EquivalentTo(Enumerable.Range(1, Count).Select(i => ("sched-" + i, (int?)200, 1))));
    }

    [Test]
    public async Task AnswerAfterWebhooksOff_ReceiverSlow_AnswerComesFirst()
    {
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackReceiver.StartAsync((_, _) => release.Task);
        await using var h = await HarnessAsync(receiver, o => o.AnswerAfterWebhooks = false);

        var charge = await h.AgainAsync("cust_1", "order-1", 1000);
        await receiver.WhenReceivedAsync(1);
        var recordedBeforeRelease = h.Fake.Webhooks.Count;
        release.SetResult(200);
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That((string)charge["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That(recordedBeforeRelease, Is.Zero);
            Assert.That(h.Fake.Webhooks.Single().ResponseStatusCode, Is.EqualTo(200));
        }
    }

    [Test]
    public async Task Webhook_HandlerRefundsWithEnableWebhook_NoDeadlock()
    {
        // The shop's webhook handler calls the fake back with a change that has its own webhook, and waits for it.
        var harness = new TaskCompletionSource<FakeHarness>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackReceiver.StartAsync(async (n, _) =>
        {
            if (n == 1)
            {
                var h = await harness.Task;
                var (status, _) = await h.PostAsync("payments/cancel", new JsonObject { ["merchant_uid"] = "order-1", ["enable_webhook"] = true });
                return (int)status;
            }

            return 200;
        });
        await using var h = await HarnessAsync(receiver);
        harness.SetResult(h);

        await h.AgainAsync("cust_1", "order-1", 1000).WaitAsync(TimeSpan.FromSeconds(20));
        await h.Fake.WhenWebhooksSentAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(h.Fake.Webhooks.Select(w => (w.Status, w.ResponseStatusCode)), Is.EquivalentTo(new[] { ("paid", (int?)200), ("cancelled", (int?)200) }));
            Assert.That(h.Fake.GetPayments("order-1").Single().Status, Is.EqualTo("cancelled"));
        }
    }

    [Test]
    public async Task WindowRequest_AbortedRightAfterApproval_WebhookStillDelivered()
    {
        // The webhook is held at the receiver while the browser's request to the window is aborted (the tab closed).
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackReceiver.StartAsync((_, _) => release.Task);
        await using var fake = new FakeIamport(new FakeIamportOptions { WebhookUrl = receiver.Url });
        var baseAddress = await fake.StartAsync();
        using var browser = new HttpClient { BaseAddress = baseAddress };
        using var closeTab = new CancellationTokenSource();
        var body = new JsonObject
        {
            ["action"] = "approve",
            ["card_number"] = TestCards.Approve,
            ["param"] = new JsonObject
            {
                ["pg"] = "danal_tpay", ["pay_method"] = "card", ["merchant_uid"] = "checkout-1", ["customer_uid"] = "cust_1",
                ["name"] = "구독", ["amount"] = 9900,
            },
        };

        var window = browser.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"), closeTab.Token);
        await receiver.WhenReceivedAsync(1);
        await closeTab.CancelAsync();
        Assert.That(async () => await window, Throws.InstanceOf<OperationCanceledException>());
        release.SetResult(200);
        await fake.WhenWebhooksSentAsync();

        var hook = JsonNode.Parse(receiver.Bodies.Single())!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(fake.Webhooks.Single().ResponseStatusCode, Is.EqualTo(200));
            Assert.That(fake.Webhooks.Single().Error, Is.Null);
            Assert.That((string)hook["merchant_uid"]!, Is.EqualTo("checkout-1"));
            Assert.That((string)hook["status"]!, Is.EqualTo("paid"));
            Assert.That(fake.GetPayments("checkout-1").Single().ImpUid, Is.EqualTo((string)hook["imp_uid"]!));
        }
    }

    [TestCase(21)]
    [TestCase(22)]
    public async Task WindowRequests_ReleasedTogetherSomeAbortedMidWebhook_EveryPaymentGetsItsWebhook(int seed)
    {
        // 30 checkouts over real HTTP, released by a barrier. The shop holds every webhook until all have arrived; then
        // a seeded half of the browsers close their tab, and the shop answers.
        TestContext.Out.WriteLine("seed " + seed);
        const int Checkouts = 30;
        var random = new Random(seed);
        var closes = Enumerable.Range(0, Checkouts).Select(_ => random.Next(2) == 0).ToArray();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await LoopbackReceiver.StartAsync((_, _) => release.Task);
        await using var fake = new FakeIamport(new FakeIamportOptions { WebhookUrl = receiver.Url, Seed = seed });
        var baseAddress = await fake.StartAsync();
        using var browser = new HttpClient { BaseAddress = baseAddress };
        var tabs = Enumerable.Range(0, Checkouts).Select(_ => new CancellationTokenSource()).ToArray();
        // An async barrier: blocking pool threads on a Barrier would starve the pool the requests need.
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var windows = Enumerable.Range(0, Checkouts).Select(i => Task.Run(async () =>
        {
            var body = new JsonObject
            {
                ["action"] = "approve",
                ["card_number"] = TestCards.Approve,
                ["param"] = new JsonObject
                {
                    ["pg"] = "danal_tpay", ["pay_method"] = "card", ["merchant_uid"] = "checkout-" + i, ["customer_uid"] = "cust_" + i,
                    ["name"] = "구독", ["amount"] = 9900,
                },
            };
            await go.Task;
            try
            {
                using var response = await browser.PostAsync("fake-danal/complete", new StringContent(body.ToJsonString(), Encoding.UTF8, "text/plain"), tabs[i].Token);
                return (int)response.StatusCode;
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
        })).ToArray();
        go.SetResult();

        await receiver.WhenReceivedAsync(Checkouts);
        for (var i = 0; i < Checkouts; i++)
        {
            if (closes[i])
            {
                await tabs[i].CancelAsync();
            }
        }

        var closed = await Task.WhenAll(windows.Where((_, i) => closes[i]));
        release.SetResult(200);
        var answered = await Task.WhenAll(windows.Where((_, i) => !closes[i]));
        await fake.WhenWebhooksSentAsync();
        foreach (var tab in tabs)
        {
            tab.Dispose();
        }

        var hooked = receiver.Bodies.Select(b => (string)JsonNode.Parse(b)!["merchant_uid"]!);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(closed, Has.Length.Positive.And.All.Zero, "the closed tabs never got an answer");
            Assert.That(answered, Has.All.EqualTo(200));
            Assert.That(hooked, Is.EquivalentTo(Enumerable.Range(0, Checkouts).Select(i => "checkout-" + i)));
            Assert.That(fake.Webhooks.Select(w => w.ResponseStatusCode).ToArray(), Has.Length.EqualTo(Checkouts).And.All.EqualTo(200));
            Assert.That(fake.Payments.Select(p => p.Status), Has.All.EqualTo("paid"));
        }
    }

    [Test]
    public async Task CancelFromConsoleAsync_PaidPayment_CancelledWithHistoryAndCancelledWebhook()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var h = await HarnessAsync(receiver);
        var impUid = (string)(await h.AgainAsync("cust_1", "order-1", 1000))["response"]!["imp_uid"]!;

        var cancelled = await h.Fake.CancelFromConsoleAsync(impUid, reason: "관리자 환불");
        var (_, json) = await h.GetAsync("payments/" + impUid);

        var payment = json!["response"]!;
        var history = payment["cancel_history"]!.AsArray().Single()!;
        var hook = JsonNode.Parse(receiver.Bodies[1])!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(cancelled.Status, Is.EqualTo("cancelled"));
            Assert.That(cancelled.CancelAmount, Is.EqualTo(1000m));
            Assert.That((string)payment["status"]!, Is.EqualTo("cancelled"));
            Assert.That((decimal)payment["cancel_amount"]!, Is.EqualTo(1000m));
            Assert.That((decimal)history["amount"]!, Is.EqualTo(1000m));
            Assert.That((string)history["reason"]!, Is.EqualTo("관리자 환불"));
            Assert.That(receiver.Bodies, Has.Count.EqualTo(2));
            Assert.That((string)hook["status"]!, Is.EqualTo("cancelled"));
            Assert.That((string)hook["imp_uid"]!, Is.EqualTo(impUid));
            Assert.That((string)hook["cancellation_id"]!, Is.EqualTo((string)history["cancellation_id"]!));
            Assert.That(h.Fake.RequestCount(FakeRoutes.Cancel), Is.Zero, "not through the REST route");
        }
    }

    [Test]
    public async Task CancelFromConsoleAsync_PartialThenRest_PaidThenCancelledWithTwoEntries()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();
        h.Fake.IssueBillingKey("cust_1");
        var impUid = (string)(await h.AgainAsync("cust_1", "order-1", 1000))["response"]!["imp_uid"]!;

        var partial = await h.Fake.CancelFromConsoleAsync(impUid, 300m);
        var rest = await h.Fake.CancelFromConsoleAsync(impUid);
        var (_, json) = await h.GetAsync("payments/" + impUid);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(partial.Status, Is.EqualTo("paid"));
            Assert.That(partial.CancelAmount, Is.EqualTo(300m));
            Assert.That(rest.Status, Is.EqualTo("cancelled"));
            Assert.That(json!["response"]!["cancel_history"]!.AsArray().Select(e => (decimal)e!["amount"]!), Is.EqualTo(new[] { 300m, 700m }));
            Assert.That(h.Fake.Webhooks.Select(w => w.Status), Is.EqualTo(new[] { "paid", "paid", "cancelled" }));
            Assert.That(h.Fake.Webhooks.Skip(1).Select(w => w.CancellationId), Has.All.Not.Null);
        }
    }

    [Test]
    public async Task CancelFromConsoleAsync_BadInput_ThrowsNamingTheRule()
    {
        await using var h = new FakeHarness(host);
        await h.GetTokenAsync();
        h.Fake.IssueBillingKey("cust_1");
        h.Fake.IssueBillingKey("cust_2", TestCards.LimitExceeded);
        var paid = (string)(await h.AgainAsync("cust_1", "order-1", 1000))["response"]!["imp_uid"]!;
        var failed = (string)(await h.AgainAsync("cust_2", "order-2", 1000))["response"]!["imp_uid"]!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => h.Fake.CancelFromConsoleAsync("imp_unknown"), Throws.ArgumentException.With.Property("ParamName").EqualTo("impUid"));
            Assert.That(() => h.Fake.CancelFromConsoleAsync(paid, 0m), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("amount"));
            Assert.That(() => h.Fake.CancelFromConsoleAsync(paid, 1001m), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("취소가능금액"));
            Assert.That(() => h.Fake.CancelFromConsoleAsync(failed), Throws.InvalidOperationException.With.Message.Contains("failed"));
        }

        await h.Fake.CancelFromConsoleAsync(paid);
        Assert.That(() => h.Fake.CancelFromConsoleAsync(paid), Throws.InvalidOperationException);
        Assert.That(h.Fake.GetPayments("order-1").Single().CancelAmount, Is.EqualTo(1000m), "a refused cancel refunds nothing");
    }

    [Test]
    public void FaultPlan_FaultOnTheWrongKindOfRoute_ThrowsNamingTheRule()
    {
        var plan = new FaultPlan();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(() => plan.Next(FakeRoutes.Again, Fault.LoseWebhook()), Throws.ArgumentException.With.Message.Contains("FakeRoutes.Webhook"));
            Assert.That(() => plan.Next(FakeRoutes.Webhook, Fault.ServerErrorHtml()), Throws.ArgumentException.With.Message.Contains("applies to requests"));
            Assert.That(() => plan.NextWebhook("order-1", Fault.Latency(TimeSpan.FromSeconds(1))), Throws.ArgumentException);
            Assert.That(() => plan.UseRandom(1, 0.5, [FakeRoutes.Webhook, FakeRoutes.Again], [Fault.LoseWebhook()]), Throws.ArgumentException);
            Assert.That(() => Fault.DuplicateWebhook(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fault.DelayWebhook(TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => Fault.ReorderWebhook(TimeSpan.FromSeconds(1), extraCopies: -1), Throws.InstanceOf<ArgumentOutOfRangeException>());
        }
    }

    [TestCase(11)]
    [TestCase(12)]
    public async Task UseRandom_WebhookFaultsOverManyPayments_EachPaymentDeliveredAsItsFaultSays(int seed)
    {
        // Every webhook suffers one fault; each brings 3 extra copies except the lost ones.
        TestContext.Out.WriteLine("seed " + seed);
        Fault[] faults =
        [
            Fault.DuplicateWebhook(3, TimeSpan.FromSeconds(2)),
            Fault.DelayWebhook(TimeSpan.FromSeconds(3), extraCopies: 3),
            Fault.ReorderWebhook(TimeSpan.FromSeconds(5), extraCopies: 3),
            Fault.LoseWebhook(),
        ];
        var injected = new List<IReadOnlyList<InjectedFault>>();
        for (var run = 0; run < 2; run++)
        {
            await using var h = new FakeHarness(host);
            await h.GetTokenAsync();
            h.Fake.IssueBillingKey("cust_1");
            h.Fake.Faults.UseRandom(seed, 1.0, [FakeRoutes.Webhook], faults);
            for (var i = 0; i < 100; i++)
            {
                await h.AgainAsync("cust_1", "order-" + i, 1000);
            }

            for (var step = 0; step < 10; step++)
            {
                await h.Fake.WhenWebhooksIdleAsync();
                h.Time.Advance(TimeSpan.FromSeconds(1));
            }

            await h.Fake.WhenWebhooksSentAsync();
            var received = h.Receiver.Received.Select(r => (string)JsonNode.Parse(r.Body)!["merchant_uid"]!).ToLookup(m => m);
            using (Assert.EnterMultipleScope())
            {
                foreach (var fault in h.Fake.Faults.Injected)
                {
                    var expected = fault.Fault.Kind == FaultKind.WebhookLost ? 0 : 4;
                    Assert.That(received[fault.MerchantUid!].Count(), Is.EqualTo(expected), fault.MerchantUid + " " + fault.Fault.Kind);
                }

                Assert.That(h.Fake.Faults.Injected, Has.Count.EqualTo(100));
                Assert.That(h.Fake.Faults.Injected.Select(f => f.Fault.Kind).Distinct().Count(), Is.EqualTo(4));
            }

            injected.Add(h.Fake.Faults.Injected);
        }

        Assert.That(injected[1].Select(f => (f.MerchantUid, f.Fault)), Is.EqualTo(injected[0].Select(f => (f.MerchantUid, f.Fault))), "same seed, same faults");
    }

    [Test]
    public async Task DisposeAsync_WebhookWaitingForResend_StopsCleanly()
    {
        await using var receiver = await LoopbackReceiver.StartAsync((_, _) => Task.FromResult(500));
        var h = await ChargedAsync(receiver, o => o.ResendWebhooks = true);
        await h.Fake.WhenWebhooksIdleAsync();

        await h.DisposeAsync();
        h.Time.Advance(TimeSpan.FromMinutes(10));

        Assert.That(receiver.Bodies, Has.Count.EqualTo(1));
    }

    private async Task<FakeHarness> HarnessAsync(LoopbackReceiver receiver, Action<FakeIamportOptions>? configure = null)
    {
        var h = new FakeHarness(host, o =>
        {
            o.WebhookHandler = null;
            o.WebhookUrl = receiver.Url;
            configure?.Invoke(o);
        });
        h.Fake.IssueBillingKey("cust_1");
        await h.GetTokenAsync();
        return h;
    }

    private async Task<FakeHarness> ChargedAsync(LoopbackReceiver receiver, Action<FakeIamportOptions> configure)
    {
        var h = await HarnessAsync(receiver, configure);
        await h.AgainAsync("cust_1", "order-1", 1000);
        return h;
    }
}
