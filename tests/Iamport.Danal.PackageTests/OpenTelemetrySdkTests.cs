using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Iamport.Danal.PackageTests;

/// <summary>The library under the OpenTelemetry SDK with HttpClient instrumentation, against the fake on a loopback socket.</summary>
public class OpenTelemetrySdkTests
{
    private const string CustomerUid = "cust_traced_7301";

    private static readonly string[] Outcomes = ["approved", "declined", "not_charged"];

    [Test]
    public async Task Requests_WithHttpInstrumentationAndEnrich_OneClientSpanEachUnderALibrarySpanAndNoCustomerUid()
    {
        (List<Activity> spans, FakeIamport fake) = await TraceAsync(enrich: true);
        await using (fake)
        {
            Activity[] clients = spans.Where(s => s.Kind == ActivityKind.Client).ToArray();
            Activity[] library = spans.Where(s => s.Source.Name == IamportTelemetry.ActivitySourceName).ToArray();
            string everything = string.Join("\n", spans.Select(s => s.DisplayName + " " + string.Join(" ", s.TagObjects.Select(t => t.Key + "=" + t.Value))));

            using (Assert.EnterMultipleScope())
            {
                Assert.That(clients, Has.Length.EqualTo(fake.RequestsPerRoute.Values.Sum()), "one CLIENT span per HTTP request the fake received\n" + everything);
                Assert.That(library.Select(s => s.Kind), Is.All.EqualTo(ActivityKind.Internal), "the library's spans are Internal");
                Assert.That(clients.Select(c => c.Source.Name), Is.All.Not.EqualTo(IamportTelemetry.ActivitySourceName));
                Assert.That(clients.Select(c => library.Contains(c.Parent)), Is.All.True, "every CLIENT span's parent is a library span\n" + everything);
                Assert.That(everything, Does.Not.Contain(CustomerUid));
                Assert.That(clients.Select(c => c.GetTagItem("url.full") as string), Has.Some.EqualTo(fake.BaseAddress!.GetLeftPart(UriPartial.Authority) + "/subscribe/customers/{customer_uid}"));
                Assert.That(clients.Select(c => c.DisplayName), Has.Some.EqualTo("GET /subscribe/customers/{customer_uid}"));

                Activity[] charges = library.Where(s => s.OperationName == "iamport charge").ToArray();
                Assert.That(charges.Select(c => (string?)c.GetTagItem("iamport.charge.outcome")).ToArray(), Has.Length.EqualTo(2).And.All.EqualTo("approved"));
                Assert.That(charges.Select(c => (bool?)c.GetTagItem("iamport.charge.reconciled")).ToArray(), Is.EqualTo(new bool?[] { false, true }));
                Activity findClient = clients.Single(c => ((string?)c.GetTagItem("url.full"))!.EndsWith("/payments/findAll/{merchant_uid}", StringComparison.Ordinal));
                Assert.That(findClient.Parent?.Parent, Is.SameAs(charges[1]), "the reconciling look-up runs inside the charge's span");
            }
        }
    }

    [Test]
    public async Task Requests_WithHttpInstrumentationWithoutEnrich_ClientSpanStillCarriesNoCustomerUid()
    {
        // AddIamport rewrites System.Net.Http's own span to the route template, so a shop that forgets the enrich method
        // leaks nothing either; the path the fake saw proves a customer_uid was on the wire (so the test can fail).
        (List<Activity> spans, FakeIamport fake) = await TraceAsync(enrich: false);
        await using (fake)
        {
            string everything = string.Join("\n", spans.Select(s => s.DisplayName + " " + string.Join(" ", s.TagObjects.Select(t => t.Key + "=" + t.Value))));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(fake.RequestsPerRoute.Keys, Has.Some.Contain("/subscribe/customers/"));
                Assert.That(spans.Where(s => s.Kind == ActivityKind.Client).Select(s => s.GetTagItem("url.full") as string), Has.Some.EndsWith("/subscribe/customers/{customer_uid}"));
                Assert.That(everything, Does.Not.Contain(CustomerUid));
            }
        }
    }

    [Test]
    public async Task Charges_Metric_TagsOutcomesInLowerCase()
    {
        var outcomes = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == IamportTelemetry.MeterName && instrument.Name == "iamport.charges")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "iamport.charge.outcome")
                {
                    lock (outcomes)
                    {
                        outcomes.Add((string)tag.Value!);
                    }
                }
            }
        });
        listener.Start();
        await using var fake = new FakeIamport();
        fake.IssueBillingKey(CustomerUid);
        using var http = new System.Net.Http.HttpClient(fake.CreateHandler());
        var client = new IamportClient(http, new IamportOptions { ImpKey = fake.Options.ImpKey, ImpSecret = fake.Options.ImpSecret, ReconciliationWindow = TimeSpan.Zero });

        await client.ChargeBillingKeyAsync(Charge("metric_1"));
        fake.DeclineNext(CustomerUid);
        await client.ChargeBillingKeyAsync(Charge("metric_2"));
        fake.Faults.Next(FakeRoutes.Again, Fault.ResetBeforeCommit());
        await client.ChargeBillingKeyAsync(Charge("metric_3"));

        // Other tests may charge at the same time: only this test's three outcomes are known, the rest must be lower case too.
        Assert.That(outcomes, Is.SupersetOf(Outcomes));
        Assert.That(outcomes, Is.All.Matches<string>(o => string.Equals(o, o.ToLowerInvariant(), StringComparison.Ordinal)));
    }

    private static async Task<(List<Activity> Spans, FakeIamport Fake)> TraceAsync(bool enrich)
    {
        var fake = new FakeIamport();
        Uri baseAddress = await fake.StartAsync();
        fake.IssueBillingKey(CustomerUid);
        var spans = new List<Activity>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithTracing(t => t
            .AddSource(IamportTelemetry.ActivitySourceName)
            .AddHttpClientInstrumentation(o =>
            {
                o.FilterHttpRequestMessage = r => r.RequestUri?.Port == baseAddress.Port;
                if (enrich)
                {
                    o.EnrichWithHttpRequestMessage = IamportTelemetry.EnrichHttpRequest;
                }
            })
            .AddInMemoryExporter(spans));
        services.AddIamport(o => (o.ImpKey, o.ImpSecret, o.BaseAddress) = (fake.Options.ImpKey, fake.Options.ImpSecret, baseAddress));
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            TracerProvider tracing = provider.GetRequiredService<TracerProvider>();
            IIamportClient client = provider.GetRequiredService<IIamportClient>();

            await client.ChargeBillingKeyAsync(Charge("traced_1"));
            await client.GetBillingKeyAsync(CustomerUid);
            fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
            await client.ChargeBillingKeyAsync(Charge("traced_2"));
            tracing.ForceFlush();
        }

        return (spans, fake);
    }

    private static ChargeRequest Charge(string merchantUid) =>
        new() { CustomerUid = CustomerUid, MerchantUid = merchantUid, Amount = 9900m, Name = "월간 구독" };
}
