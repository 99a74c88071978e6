using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Iamport.Danal.PackageTests;

/// <summary>The README's schedule pattern (section 5), compiled from the README and run against the fake: a paid
/// period schedules the next one, a declined one is scheduled again.</summary>
public class ReadmeScheduleTests
{
    private static readonly DateOnly Period = new(2027, 1, 1);

    [TestCase(false, TestName = "SchedulePattern_PaidPeriod_SchedulesTheNextPeriod")]
    [TestCase(true, TestName = "SchedulePattern_DeclinedPeriod_SchedulesTheSameMerchantUidAgain")]
    public async Task SchedulePattern_AsWritten_FollowsTheWebhook(bool declined)
    {
        CodeBlock block = CodeBlock.Read("README.md").Single(b => b.Code.Contains("class ScheduledRenewals", StringComparison.Ordinal));
        (EmitResult result, byte[] image) = ReadmeTests.Compile(block);
        Assert.That(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, () => block.Describe(result.Diagnostics));
        Assembly snippet = Assembly.Load(image);

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero));
        using var receiver = new Accepting();
        await using var fake = new FakeIamport(new FakeIamportOptions { WebhookUrl = new Uri("http://shop.test/iamport/webhook"), WebhookHandler = receiver }, time);
        fake.IssueBillingKey("cust_42_card1");
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        services.AddIamport(o => { o.ImpKey = fake.Options.ImpKey; o.ImpSecret = fake.Options.ImpSecret; }).UseFakeIamport(fake);
        await using ServiceProvider provider = services.BuildServiceProvider();
        IIamportClient iamport = provider.GetRequiredService<IIamportClient>();

        object plan = Activator.CreateInstance(snippet.GetType("Plan")!, 42, "cust_42_card1", 9_900m)!;
        object renewals = Activator.CreateInstance(snippet.GetType("ScheduledRenewals")!, iamport, time)!;
        await Invoke(renewals, "ScheduleAsync", plan, Period);
        if (declined)
        {
            fake.DeclineNext("cust_42_card1");
        }

        time.SetUtcNow(new DateTimeOffset(2027, 1, 1, 0, 0, 1, TimeSpan.Zero));
        await fake.RunDueSchedulesAsync();
        SentWebhook sent = fake.Webhooks.Single();
        await Invoke(renewals, "OnWebhookAsync", IamportWebhook.Parse(sent.Body, sent.ContentType), plan, Period);

        Schedule? first = await iamport.GetScheduleAsync("sub42_202701");
        Schedule? next = await iamport.GetScheduleAsync("sub42_202702");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sent.Status, Is.EqualTo(declined ? "failed" : "paid"));
            Assert.That(fake.PaidChargeCount("sub42_202701"), Is.EqualTo(declined ? 0 : 1));
            Assert.That(next is not null, Is.EqualTo(!declined), "the next period is scheduled only after a paid one");
            Assert.That(first?.ScheduleStatus, Is.EqualTo(declined ? ScheduleStatus.Scheduled : ScheduleStatus.Executed), "a declined period is pending again");
            if (declined)
            {
                Assert.That(first?.ScheduledAt, Is.EqualTo(time.GetUtcNow().AddDays(1)));
            }
        }
    }

    private static Task Invoke(object target, string method, params object[] arguments) =>
        (Task)target.GetType().GetMethod(method)!.Invoke(target, arguments)!;

    private sealed class Accepting : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
