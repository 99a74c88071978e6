using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iamport.Danal.BrowserTests;

/// <summary>The paths that report one checkout (the browser's callback, I'mport's webhook, the mobile window's return)
/// released together over real HTTP, many times, and forged webhooks; asserted against the fake's records and the store.</summary>
/// <remarks>One shop and one fake for the class. The fake sends no webhook by itself here: each test posts the webhook
/// the fake would have sent, so it can be released with the others (or after a forged one).</remarks>
[TestFixture]
[NonParallelizable]
public sealed class ShopRaceTests
{
    private const int Trials = 50;

    private static readonly HttpStatusCode[] Answered = [HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Redirect];

    private static readonly string[] OnePaidMonth = ["paid"];

    private readonly ActivationCounter _activations = new();
    private FakeIamport _fake = null!;
    private ShopHost _shop = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _fake = new FakeIamport();
        await _fake.StartAsync();
        _shop = await ShopHost.StartWithFakeAsync(_fake, ShopHost.NewDatabasePath(), builder =>
        {
            builder.Logging.AddProvider(_activations);
            builder.Logging.AddFilter<ActivationCounter>(null, LogLevel.Information);
        });
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await _shop.DisposeAsync();
        await _fake.DisposeAsync();
        _activations.Dispose();
    }

    [Test]
    public async Task ChangeCard_CallbackWebhookAndMobileReturnReleasedTogether_SwapsOnceAndDeletesOnlyTheOldKey()
    {
        for (int trial = 0; trial < Trials; trial++)
        {
            using var customer = await _shop.NewCustomerAsync();
            var registration = await customer.StartCheckoutAsync("register");
            var registered = await customer.PayInWindowAsync(registration);
            (await customer.VerifyAsync(Imp(registered), Merchant(registered))).EnsureSuccessStatusCode().Dispose();
            string oldKey = Key(registration);
            long subscriptionId = (await customer.SubscriptionsAsync()).Single()!["id"]!.GetValue<long>();

            var change = await customer.StartCardChangeAsync(subscriptionId);
            var paid = await customer.PayInWindowAsync(change);
            string newKey = Key(change);
            int deletesBefore = _fake.RequestCount(FakeRoutes.DeleteCustomer);

            var answers = await ReleaseTogetherAsync(
                () => customer.VerifyAsync(Imp(paid), Merchant(paid)),
                () => _shop.PostWebhookAsync(Imp(paid), Merchant(paid), "paid"),
                () => customer.ReturnFromMobileAsync(Imp(paid), Merchant(paid)));

            var subscription = await _shop.Store.FindSubscriptionAsync(subscriptionId);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(answers[0].StatusCode, Is.EqualTo(HttpStatusCode.OK), $"trial {trial}: callback");
                Assert.That(answers[1].StatusCode, Is.EqualTo(HttpStatusCode.OK), $"trial {trial}: webhook");
                Assert.That(answers[2].StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"trial {trial}: mobile return");
                Assert.That(answers[2].Headers.Location?.ToString(), Is.EqualTo("/?notice=card-changed"), $"trial {trial}");
                Assert.That(_fake.HasBillingKey(newKey), Is.True, $"trial {trial}: the new key is kept at I'mport");
                Assert.That(_fake.HasBillingKey(oldKey), Is.False, $"trial {trial}: the old key is deleted");
                Assert.That(_fake.RequestCount(FakeRoutes.DeleteCustomer) - deletesBefore, Is.EqualTo(1), $"trial {trial}: one delete, of the old key");
                Assert.That(subscription!.CustomerUid == newKey, Is.True, $"trial {trial}: the subscription bills the new key");
                Assert.That(subscription.Status, Is.EqualTo(SubscriptionStatus.Active), $"trial {trial}");
            }

            Dispose(answers);
        }
    }

    [Test]
    public async Task Subscribe_CallbackWebhookAndMobileReturnReleasedTogether_ActivateExactlyOnce()
    {
        for (int trial = 0; trial < Trials; trial++)
        {
            using var customer = await _shop.NewCustomerAsync();
            var start = await customer.StartCheckoutAsync("subscribe");
            var paid = await customer.PayInWindowAsync(start);
            int activationsBefore = _activations.Count;

            var answers = await ReleaseTogetherAsync(
                () => customer.VerifyAsync(Imp(paid), Merchant(paid)),
                () => _shop.PostWebhookAsync(Imp(paid), Merchant(paid), "paid"),
                () => customer.ReturnFromMobileAsync(Imp(paid), Merchant(paid)));

            var subscription = (await customer.SubscriptionsAsync()).Single()!;
            var payment = _fake.GetPayments(Merchant(paid)).Single();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(answers.Select(a => a.StatusCode), Is.EqualTo(Answered), $"trial {trial}");
                Assert.That(_activations.Count - activationsBefore, Is.EqualTo(1), $"trial {trial}: activated exactly once");
                Assert.That(subscription["status"]!.GetValue<string>(), Is.EqualTo("active"), $"trial {trial}");
                Assert.That(subscription["charges"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()), Is.EqualTo(OnePaidMonth), $"trial {trial}: one first month");
                Assert.That(payment.Status, Is.EqualTo("paid"), $"trial {trial}: nothing refunded");
                Assert.That(_fake.HasBillingKey(Key(start)), Is.True, $"trial {trial}: the key is kept");
            }

            Dispose(answers);
        }
    }

    [Test]
    public async Task Webhook_ForgedPaidBeforeGenuine_GenuinePaymentActivates()
    {
        using var customer = await _shop.NewCustomerAsync();
        var start = await customer.StartCheckoutAsync("subscribe");
        var paid = await customer.PayInWindowAsync(start); // the tab is closed: no callback

        // Forged first: the genuine imp_uid under another order, and an imp_uid that does not exist.
        int activationsBefore = _activations.Count;
        using var forgedOtherOrder = await _shop.PostWebhookAsync(Imp(paid), "chk_20260101000000000_other", "paid");
        using var forgedUnknown = await _shop.PostWebhookAsync("imp_000000000000", Merchant(paid), "paid");
        using var genuine = await _shop.PostWebhookAsync(Imp(paid), Merchant(paid), "paid");

        var subscription = (await customer.SubscriptionsAsync()).SingleOrDefault();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ResultOf(forgedUnknown), Is.EqualTo("unknown payment"));
            Assert.That(subscription?["status"]!.GetValue<string>(), Is.EqualTo("active"), "the payment I'mport holds activated it");
            Assert.That(subscription?["charges"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That(_activations.Count - activationsBefore, Is.EqualTo(1), "activated once, by whichever webhook came first");
            Assert.That(await ResultOf(forgedOtherOrder), Is.AnyOf("checkout verified", "duplicate"));
            Assert.That(genuine.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
    }

    [Test]
    public async Task Webhook_ForgedCancelledBeforeConsoleRefund_GenuineRefundIsRecorded()
    {
        using var customer = await _shop.NewCustomerAsync();
        var paid = await customer.CheckOutAsync("subscribe");
        using (await _shop.PostWebhookAsync(Imp(paid), Merchant(paid), "paid"))
        {
        }

        // Forged while the payment is still paid: handled as what it is (paid, already seen).
        using var forged = await _shop.PostWebhookAsync(Imp(paid), Merchant(paid), "cancelled");
        string chargeAfterForged = await ChargeStatusAsync(customer);

        // The operator refunds in I'mport's console, which sends its own webhook.
        _fake.Options.WebhookUrl = new Uri(_shop.Address, "iamport/webhook");
        try
        {
            await _fake.CancelFromConsoleAsync(Imp(paid), reason: "콘솔 환불");
            await _fake.WhenWebhooksSentAsync();
        }
        finally
        {
            _fake.Options.WebhookUrl = null;
        }

        var genuine = _fake.Webhooks.Single(w => w.ImpUid == Imp(paid) && w.Status == "cancelled");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(await ResultOf(forged), Is.EqualTo("duplicate"));
            Assert.That(chargeAfterForged, Is.EqualTo("paid"), "a forged cancel changes nothing");
            Assert.That(genuine.ResponseStatusCode, Is.EqualTo(200));
            Assert.That(await ChargeStatusAsync(customer), Is.EqualTo("refunded"), "the genuine refund is recorded");
        }
    }

    /// <summary>Starts every request at the same moment: each waits on one gate, opened once all are queued.</summary>
    private static async Task<HttpResponseMessage[]> ReleaseTogetherAsync(params Func<Task<HttpResponseMessage>>[] requests)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racing = requests.Select(async send =>
        {
            await gate.Task;
            return await send();
        }).ToArray();
        gate.SetResult();
        return await Task.WhenAll(racing);
    }

    private static async Task<string> ChargeStatusAsync(ShopCustomer customer) =>
        (await customer.SubscriptionsAsync()).Single()!["charges"]!.AsArray().Single()!["status"]!.GetValue<string>();

    private static async Task<string?> ResultOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())?["result"]?.GetValue<string>();

    private static string Imp(JsonObject rsp) => rsp["imp_uid"]!.GetValue<string>();

    private static string Merchant(JsonObject rsp) => rsp["merchant_uid"]!.GetValue<string>();

    private static string Key(JsonObject start) => start["params"]!["customer_uid"]!.GetValue<string>();

    private static void Dispose(IEnumerable<HttpResponseMessage> responses)
    {
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>Counts the shop's "checkout verified; subscription active" log events (event id 4): one per activation.</summary>
    private sealed class ActivationCounter : ILoggerProvider, ILogger
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 4 && eventId.Name == "CheckoutActivated")
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void Dispose()
        {
        }
    }
}
