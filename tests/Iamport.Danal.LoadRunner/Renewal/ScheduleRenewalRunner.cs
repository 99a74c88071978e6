using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Samples.Shop;
using Iamport.Danal.Samples.Shop.Billing;
using Iamport.Danal.Samples.Shop.Data;
using Iamport.Danal.Testing;

namespace Iamport.Danal.LoadRunner.Renewal;

/// <summary>The renewal measurement on I'mport's scheduler (<c>renewal --engine schedule</c>): K shop web processes on
/// one store, the fake running every period's schedule with its webhooks lost or duplicated, then one reconciliation.</summary>
public static class ScheduleRenewalRunner
{
    private const string MerchantCode = "imp00000000";

    /// <summary>Share of the periods' webhooks the fake loses, and of those it sends twice.</summary>
    private const double Lost = 0.30, Duplicated = 0.10;

    public static async Task<RenewalRunReport> RunAsync(RenewalRunOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var progress = options.Progress ?? TextWriter.Null;
        string folder = Directory.CreateTempSubdirectory("renewal-schedule-").FullName;
        await using var fake = new FakeIamport(new FakeIamportOptions { MerchantCode = MerchantCode, Seed = 23 });
        Uri address = await fake.StartAsync(0, cancellationToken);

        RunStore? shared = null;
        var shops = new List<Process>();
        try
        {
            shared = await RunStore.OpenAsync(options, folder, "schedule_", cancellationToken);
            var store = shared.Store;
            await store.EnsureCreatedAsync(cancellationToken);

            // Due yesterday: each period is scheduled a minute after its registration, so they come due together.
            var due = ShopClock.Today(TimeProvider.System).AddDays(-1);
            var random = new Random(23);
            var subscriptions = new List<NewSubscription>(options.Subscriptions);
            for (int i = 0; i < options.Subscriptions; i++)
            {
                string customerUid = "cu_schedule_" + i.ToString("D6", CultureInfo.InvariantCulture);
                fake.IssueBillingKey(customerUid);
                subscriptions.Add(new NewSubscription("load", "다날 정기구독 Pro", 9_900, customerUid, "신한카드", due));
                string period = "sub" + (i + 1).ToString(CultureInfo.InvariantCulture) + "_" + ShopClock.Period(due);
                double roll = random.NextDouble();
                if (roll < Lost)
                {
                    fake.Faults.NextWebhook(period, Fault.LoseWebhook());
                }
                else if (roll < Lost + Duplicated)
                {
                    fake.Faults.NextWebhook(period, Fault.DuplicateWebhook());
                }
            }

            await store.AddActiveSubscriptionsAsync(subscriptions, cancellationToken);
            progress.WriteLine($"seeded {options.Subscriptions:N0} subscriptions due {due:yyyy-MM-dd} ({options.Store}); fake at {address}, {options.LatencyMs} ms per call; {Lost:P0} of webhooks lost, {Duplicated:P0} duplicated");

            string adminToken = Guid.NewGuid().ToString("N");
            var addresses = new List<Uri>();
            for (int i = 0; i < options.Instances; i++)
            {
                var shop = new Uri($"http://127.0.0.1:{FreePort()}/");
                addresses.Add(shop);
                shops.Add(RenewalRunner.StartShop(i, folder, progress,
                [
                    "--urls=" + shop,
                    "--Iamport:ImpKey=" + fake.Options.ImpKey,
                    "--Iamport:ImpSecret=" + fake.Options.ImpSecret,
                    "--Iamport:MerchantCode=" + MerchantCode,
                    "--Iamport:BaseAddress=" + address,
                    "--Shop:RenewalEngine=Scheduler",
                    "--Shop:RenewalWorkerEnabled=false",
                    "--Shop:RenewalConcurrency=" + options.Concurrency.ToString(CultureInfo.InvariantCulture), // the reconciliation's repairs in flight
                    "--Shop:AdminToken=" + adminToken,
                    "--Shop:NoticeUrl=" + new Uri(shop, "iamport/webhook"), // this process's webhooks come back to it
                    "--Shop:KeysDirectory=" + Path.Combine(folder, "keys"),
                    shared.Argument,
                    "--Logging:LogLevel:Default=Warning",
                ]));
            }

            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", adminToken);
            foreach (var shop in addresses)
            {
                await WhenUpAsync(http, shop, cancellationToken);
            }

            // Registration: every instance's pass at once (the store lets each period be registered by one).
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(addresses.Select(a => RunPassAsync(http, a, cancellationToken)));
            int registered = fake.RequestCount(FakeRoutes.Schedule);
            if (options.LatencyMs > 0)
            {
                // From here I'mport answers in L ms: the webhook's re-fetch, the outcome call's look-ups, each next registration.
                fake.Faults.UseRandom(1, 1.0,
                    [FakeRoutes.GetPayment, FakeRoutes.FindPayment, FakeRoutes.FindAllPayments, FakeRoutes.GetPayments, FakeRoutes.Schedule, FakeRoutes.GetSchedule, FakeRoutes.ListSchedules],
                    [Fault.Latency(TimeSpan.FromMilliseconds(options.LatencyMs))]);
            }

            progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: {registered:N0} registrations reached the fake");

            // I'mport runs them on its clock; the webhooks (minus the lost ones, plus copies) reach the instances.
            DateTimeOffset? firstRun = null;
            var deadline = TimeSpan.FromSeconds(300 + (6.0 * options.Subscriptions * options.LatencyMs / 1000.0 / Math.Max(1, options.Instances * 64)));
            string first = "_" + ShopClock.Period(due);
            while (RenewalPayments(fake, first) < options.Subscriptions)
            {
                firstRun ??= RenewalPayments(fake, first) > 0 ? DateTimeOffset.UtcNow : null;
                if (clock.Elapsed > deadline)
                {
                    throw new TimeoutException($"The fake did not run every schedule within {deadline.TotalSeconds:F0} s.");
                }

                await Task.Delay(200, cancellationToken);
            }

            firstRun ??= DateTimeOffset.UtcNow;
            await fake.WhenWebhooksSentAsync(cancellationToken);
            progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: every schedule ran, every webhook sent; store before the reconciliation: {Tally(await store.TallyChargesAsync(cancellationToken))}");

            // The next daily reconciliation, by one instance.
            await RunPassAsync(http, addresses[0], cancellationToken);
            var tally = await store.TallyChargesAsync(cancellationToken);
            progress.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s: after the reconciliation: {Tally(tally)}");
            progress.WriteLine("fake saw: " + string.Join(", ", fake.RequestsPerRoute.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}")));

            var paid = fake.Payments.Where(p => p.MerchantUid.EndsWith(first, StringComparison.Ordinal) && p.Status == "paid" && p.CustomerUid is not null)
                .GroupBy(p => p.CustomerUid!).ToDictionary(g => g.Key, g => g.Count());
            var next = ShopClock.Period(due.AddMonths(1));
            var nextScheduled = (await store.ListScheduledChargesAsync(null, cancellationToken)).Where(s => s.MerchantUid.EndsWith("_" + next, StringComparison.Ordinal)).ToList();
            int registrations = fake.RequestCount(FakeRoutes.Schedule);
            bool nextOnce = nextScheduled.Select(s => s.SubscriptionId).Distinct().Count() == options.Subscriptions && registrations == 2 * options.Subscriptions;
            int unrecorded = 0;
            foreach (var payment in fake.Payments.Where(p => p.MerchantUid.StartsWith("sub", StringComparison.Ordinal) && p.Status == "paid"))
            {
                if (await store.FindChargeAsync(payment.MerchantUid, cancellationToken) is not { Status: ChargeStatus.Paid } charge || charge.ImpUid != payment.ImpUid)
                {
                    unrecorded++;
                }
            }

            progress.WriteLine($"next periods scheduled in the store {nextScheduled.Count:N0}, registrations at the fake {registrations:N0} (2 × N = {2 * options.Subscriptions:N0}): {(nextOnce ? "each registered exactly once" : "NOT each once")}; unrecorded payments {unrecorded}");
            double wall = tally.LastUpdate is { } last ? (last - firstRun.Value).TotalSeconds : 0;
            int failed = shops.Count(s => s.HasExited);
            return new RenewalRunReport(options, wall, options.LatencyMs / 1000.0, paid.Count, paid.Values.Count(c => c > 1), options.Subscriptions - paid.Count,
                tally[ChargeStatus.Claimed] + tally[ChargeStatus.Unknown], fake.RequestCount(FakeRoutes.Again), failed, null, unrecorded) { NextScheduledOnce = nextOnce };
        }
        finally
        {
            foreach (var shop in shops)
            {
                if (!shop.HasExited)
                {
                    shop.Kill(entireProcessTree: true);
                }

                shop.Dispose();
            }

            if (shared is not null)
            {
                await shared.DisposeAsync();
            }

            RunStore.DeleteFolder(folder);
        }
    }

    private static int RenewalPayments(FakeIamport fake, string periodSuffix) => fake.Payments.Count(p => p.MerchantUid.EndsWith(periodSuffix, StringComparison.Ordinal));

    private static string Tally(ChargeTally tally) =>
        string.Join(", ", tally.ByStatus.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {r.Value}"));

    /// <summary>What 정기결제 지금 실행 does on one instance: the reconciliation (registering what has no schedule), the job, dunning.</summary>
    private static async Task RunPassAsync(HttpClient http, Uri shop, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri(shop, "admin/renewals/run"), null, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && !response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The renewal pass of {shop} answered {(int)response.StatusCode}.");
        }
    }

    private static async Task WhenUpAsync(HttpClient http, Uri shop, CancellationToken cancellationToken)
    {
        for (int tries = 0; ; tries++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(shop, "favicon.svg"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (tries < 600)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
