using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Iamport.Danal.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Iamport.Danal.Tests.Honesty;

/// <summary>
/// What Microsoft.Extensions.Http's loggers and System.Net.Http's own span record for calls whose path or query carries
/// customer_uids (<c>/subscribe/customers/{customer_uid}</c>, <c>?customer_uid[]=…</c>), over a real socket: no
/// customer_uid, in any form, even when the shop turns the factory's default loggers back on for every client.
/// </summary>
[NonParallelizable]
public class HttpClientTelemetryTests
{
    private const string First = "고객 A&B 0001";
    private const string Second = "cust secret two";

    [Test]
    public async Task BillingKeyCalls_ShopAddsDefaultLoggersAndResilience_NoCustomerUidInLogsOrSpans()
    {
        await using LoopbackServer server = await LoopbackServer.StartAsync();
        server.Script = c => c.Request.Path.Value == "/users/getToken"
            ? LoopbackServer.WriteAsync(c, 200, Api.Token(ScriptedIamport.Token))
            : LoopbackServer.WriteAsync(c, 404, "{\"code\":1,\"message\":\"없음\",\"response\":null}");
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace)).AddFakeLogging();
        services.ConfigureHttpClientDefaults(b => b.AddDefaultLogger().AddStandardResilienceHandler());
        services.AddIamport(o =>
        {
            o.ImpKey = "test_key";
            o.ImpSecret = Api.Secret;
            o.BaseAddress = server.Address;
        });
        using ServiceProvider provider = services.BuildServiceProvider();
        IIamportClient client = provider.GetRequiredService<IIamportClient>();
        var tags = new ConcurrentQueue<string>();
        using ActivityListener listener = Listen(tags);

        await client.GetBillingKeyAsync(First);
        await client.GetBillingKeysAsync([First, Second]);
        await foreach (var _ in client.GetPaymentsByCustomerUidAsync(Second))
        {
        }

        IReadOnlyList<FakeLogRecord> logs = provider.GetRequiredService<FakeLogCollector>().GetSnapshot();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(server.Requests.Count(r => r.Contains("/subscribe/customers", StringComparison.Ordinal)), Is.EqualTo(3), "the calls went out");
            Assert.That(tags, Has.Some.EqualTo("url.full=" + new Uri(server.Address, "/subscribe/customers/{customer_uid}")), "System.Net.Http's span names the route");
            Assert.That(logs.Any(r => r.Category?.StartsWith("System.Net.Http", StringComparison.Ordinal) == true), Is.False, "the factory's default loggers stay off");
            foreach (string text in logs.Select(r => r.Category + " " + r.Message + " " + string.Join(",", r.StructuredState?.Select(p => p.Key + "=" + p.Value) ?? [])).Concat(tags))
            {
                foreach (string uid in new[] { First, Second })
                {
                    foreach (string form in new[] { uid, Uri.EscapeDataString(uid), System.Net.WebUtility.UrlEncode(uid), uid.Replace(" ", "", StringComparison.Ordinal) })
                    {
                        Assert.That(text, Does.Not.Contain(form), "a customer_uid in " + text);
                    }
                }
            }
        }
    }

    private static ActivityListener Listen(ConcurrentQueue<string> tags)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "System.Net.Http" || source.Name == IamportTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                tags.Enqueue("name=" + activity.DisplayName);
                foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
                {
                    tags.Enqueue(tag.Key + "=" + tag.Value);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
