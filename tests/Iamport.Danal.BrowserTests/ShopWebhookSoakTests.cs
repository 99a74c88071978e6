using System.Net;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;

namespace Iamport.Danal.BrowserTests;

/// <summary>An ordinary day at scale, without a browser: over a thousand checkouts and renewals, a hundred refunds in the
/// console, every webhook sent three extra times and reordered, answers racing their webhooks; then the shop's records
/// are compared with every payment the fake holds.</summary>
[TestFixture]
[NonParallelizable]
public sealed class ShopWebhookSoakTests
{
    private const int Checkouts = 700;
    private const int ConsoleRefunds = 100;
    private const int Concurrency = 16;

    [Test]
    public async Task Day_EveryWebhookDuplicatedThriceAndReordered_StoreMatchesFakeExactly()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SHOP_SOAK_SEED"), out int fixedSeed) ? fixedSeed : Random.Shared.Next();
        TestContext.Out.WriteLine($"seed {seed} (SHOP_SOAK_SEED={seed} repeats this run)");
        var random = new Random(seed);

        await using var fake = new FakeIamport(new FakeIamportOptions { Seed = seed, AnswerAfterWebhooks = false });
        await fake.StartAsync();
        await using var shop = await ShopHost.StartWithFakeAsync(fake, ShopHost.NewDatabasePath());
        fake.Options.WebhookUrl = new Uri(shop.Address, "iamport/webhook");
        fake.Faults.UseRandom(seed, 1.0, [FakeRoutes.Webhook], [Fault.ReorderWebhook(TimeSpan.FromMilliseconds(150), extraCopies: 3)]);

        // Each customer checks out (key only, or key and first month) and reports it by the callback, by the mobile
        // return, or not at all (the tab closed: only the webhook tells).
        var plans = Enumerable.Range(0, Checkouts).Select(_ => (Subscribe: random.Next(2) == 0, Report: random.Next(5))).ToArray();
        var answers = new List<HttpStatusCode>();
        await Parallel.ForEachAsync(plans, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (plan, _) =>
        {
            using var customer = await shop.NewCustomerAsync();
            var rsp = await customer.PayInWindowAsync(await customer.StartCheckoutAsync(plan.Subscribe ? "subscribe" : "register"));
            string impUid = rsp["imp_uid"]!.GetValue<string>(), merchantUid = rsp["merchant_uid"]!.GetValue<string>();
            using var answer = plan.Report switch
            {
                < 3 => await customer.VerifyAsync(impUid, merchantUid),
                3 => await customer.ReturnFromMobileAsync(impUid, merchantUid),
                _ => null,
            };
            if (answer is not null)
            {
                lock (answers)
                {
                    answers.Add(answer.StatusCode);
                }
            }
        });
        await fake.WhenWebhooksSentAsync();

        // The key-only subscriptions are due today: one renewal run charges them while their webhooks race the answers.
        var renewal = await shop.NewRenewalJob().RunOnceAsync();

        // The operator refunds some paid payments in the console; only the webhooks tell the shop.
        var refunded = fake.Payments.Where(p => p.Status == "paid" && p.Amount > 0).OrderBy(_ => random.Next()).Take(ConsoleRefunds).ToArray();
        await Parallel.ForEachAsync(refunded, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (p, ct) =>
            await fake.CancelFromConsoleAsync(p.ImpUid, reason: "콘솔 환불", cancellationToken: ct));
        await fake.WhenWebhooksSentAsync();

        var payments = fake.Payments;
        var charged = payments.Where(p => p.Amount > 0).ToArray();
        var problems = new List<string>();
        foreach (var p in payments)
        {
            var checkout = await shop.Store.FindCheckoutAsync(p.MerchantUid);
            if (p.CustomerUidUsage == "issue")
            {
                var subscription = checkout is null ? null : await shop.Store.FindSubscriptionAsync(checkout.SubscriptionId);
                if (checkout?.Status != CheckoutRecord.Verified || subscription?.Status != SubscriptionStatus.Active || subscription.CustomerUid != p.CustomerUid)
                {
                    problems.Add($"{p.MerchantUid}: checkout {checkout?.Status}, subscription {subscription?.Status}");
                }
            }

            if (p.Amount > 0)
            {
                var charge = await shop.Store.FindChargeAsync(p.MerchantUid);
                string expected = p.Status == "cancelled" ? ChargeStatus.Refunded : ChargeStatus.Paid;
                if (charge?.Status != expected || charge.ImpUid != p.ImpUid || charge.Amount != (long)p.Amount)
                {
                    problems.Add($"{p.MerchantUid}: fake {p.Status} {p.ImpUid}, store {charge?.Status} {charge?.ImpUid}");
                }
            }
        }

        var tally = await shop.Store.TallyChargesAsync();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(problems, Is.Empty, "every payment at the fake is exactly what the store says");
            Assert.That(answers, Has.All.AnyOf(HttpStatusCode.OK, HttpStatusCode.Redirect), "no callback or return failed");
            Assert.That(payments.Count(p => p.CustomerUidUsage == "issue"), Is.EqualTo(Checkouts));
            Assert.That(renewal.Approved + renewal.Reconciled, Is.EqualTo(plans.Count(p => !p.Subscribe)));
            Assert.That(Checkouts + payments.Count(p => p.CustomerUidUsage == "payment"), Is.GreaterThanOrEqualTo(1_000), "over a thousand checkouts and renewals");
            Assert.That(charged.GroupBy(p => p.MerchantUid).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "nothing charged twice");
            Assert.That(tally[ChargeStatus.Paid] + tally[ChargeStatus.Refunded], Is.EqualTo(charged.Length), "no charge the fake does not have");
            Assert.That(tally[ChargeStatus.Refunded], Is.EqualTo(ConsoleRefunds));
            Assert.That(fake.Webhooks.Count(w => w.ResponseStatusCode != 200), Is.Zero, "the shop answered every webhook copy 200");
            Assert.That(fake.Webhooks.Count, Is.EqualTo(4 * (Checkouts + payments.Count(p => p.CustomerUidUsage == "payment") + ConsoleRefunds)), "each webhook and three extra copies");
        }
    }
}
