using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;
using Iamport.Danal.Testing.Server;

namespace Iamport.Danal.Testing.Tests.Server;

/// <summary>The iamport-fake tool: its command line, and the real process on a loopback port.</summary>
[Parallelizable(ParallelScope.Self)]
public class ServerTests
{
    [Test]
    public void Parse_FullCommandLine_OptionsAndKeys()
    {
        var parsed = ServerArguments.Parse(["--port", "5099", "--imp-key", "k", "--imp-secret", "s", "--billing-key", "cust_1",
            "--billing-key", "cust_2:decline", "--billing-key", "cust_3:" + TestCards.Suspended, "--webhook-url", "http://127.0.0.1:5001/hook",
            "--webhook-format", "form", "--not-found", "200", "--sandbox", "--resend-webhooks", "--webhooks-race-answer"]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(parsed.Port, Is.EqualTo(5099));
            Assert.That(parsed.Options.ImpKey, Is.EqualTo("k"));
            Assert.That(parsed.Options.ImpSecret, Is.EqualTo("s"));
            Assert.That(parsed.BillingKeys, Is.EqualTo(new[] { ("cust_1", TestCards.Approve), ("cust_2", TestCards.LimitExceeded), ("cust_3", TestCards.Suspended) }));
            Assert.That(parsed.Options.WebhookUrl, Is.EqualTo(new Uri("http://127.0.0.1:5001/hook")));
            Assert.That(parsed.Options.WebhookFormat, Is.EqualTo(WebhookFormat.Form));
            Assert.That(parsed.Options.NotFoundStyle, Is.EqualTo(NotFoundStyle.Http200));
            Assert.That(parsed.Options.Sandbox, Is.True);
            Assert.That(parsed.Options.ResendWebhooks, Is.True);
            Assert.That(parsed.Options.AnswerAfterWebhooks, Is.False);
        }
    }

    [Test]
    public void Parse_KeysFile_StringsAndObjects()
    {
        var path = Path.Combine(Path.GetTempPath(), "iamport-fake-keys-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """["cust_a", "cust_b:insufficient", {"customer_uid": "cust_c", "card": "check"}]""");
        try
        {
            var parsed = ServerArguments.Parse(["--keys-file", path]);

            Assert.That(parsed.BillingKeys, Is.EqualTo(new[] { ("cust_a", TestCards.Approve), ("cust_b", TestCards.InsufficientBalance), ("cust_c", TestCards.ApproveCheckCard) }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("--port", "x")]
    [TestCase("--billing-key", "cust_1:platinum")]
    [TestCase("--bogus")]
    [TestCase("--imp-key")]
    public void Parse_Mistake_FormatException(params string[] args)
    {
        Assert.That(() => ServerArguments.Parse(args), Throws.InstanceOf<FormatException>());
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Process_OneCommand_ChargesPreIssuedKeysOnLoopback(CancellationToken cancellationToken)
    {
        await using var fake = await StandaloneFake.StartAsync(["--imp-key", "k", "--imp-secret", "s", "--billing-key", "cust_1", "--billing-key", "cust_2:decline"], cancellationToken);
        using var client = new HttpClient { BaseAddress = fake.Address };
        var token = await PostAsync(client, "users/getToken", new JsonObject { ["imp_key"] = "k", ["imp_secret"] = "s" }, null, cancellationToken);
        var accessToken = (string)token["response"]!["access_token"]!;
        var paid = await PostAsync(client, "subscribe/payments/again", Charge("cust_1", "order-1"), accessToken, cancellationToken);
        var declined = await PostAsync(client, "subscribe/payments/again", Charge("cust_2", "order-2"), accessToken, cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fake.Address.IsLoopback, Is.True);
            Assert.That((string)paid["response"]!["status"]!, Is.EqualTo("paid"));
            Assert.That((string)declined["response"]!["status"]!, Is.EqualTo("failed"));
            Assert.That((string)declined["response"]!["fail_reason"]!, Is.EqualTo("한도초과"));
        }

        // SIGTERM (what a CI script or a container stop sends) ends it cleanly.
        if (!OperatingSystem.IsWindows())
        {
            using var term = Process.Start("kill", ["-TERM", fake.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync(cancellationToken);
            await fake.Process.WaitForExitAsync(cancellationToken);
            Assert.That(fake.Process.ExitCode, Is.Zero);
        }
    }

    [Test]
    public void Parse_Seed_GivenOrRandomButAlwaysSet()
    {
        var given = ServerArguments.Parse(["--seed", "42"]);
        var first = ServerArguments.Parse([]);
        var second = ServerArguments.Parse([]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(given.Options.Seed, Is.EqualTo(42));
            Assert.That(first.Options.Seed, Is.Not.Null);
            Assert.That(new[] { first.Options.Seed, second.Options.Seed, ServerArguments.Parse([]).Options.Seed }.Distinct().Count(), Is.GreaterThan(1));
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Process_TwoStarts_DifferentFirstTokensUnlessSeeded(CancellationToken cancellationToken)
    {
        var first = await FirstTokenAsync([], cancellationToken);
        var second = await FirstTokenAsync([], cancellationToken);
        var seeded = await FirstTokenAsync(["--seed", "7"], cancellationToken);
        var seededAgain = await FirstTokenAsync(["--seed", "7"], cancellationToken);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(second, Is.Not.EqualTo(first), "random by default");
            Assert.That(seededAgain, Is.EqualTo(seeded), "the same seed gives the same token");
            Assert.That(seeded, Is.Not.EqualTo(first));
        }
    }

    private static async Task<string> FirstTokenAsync(string[] args, CancellationToken cancellationToken)
    {
        await using var fake = await StandaloneFake.StartAsync(args, cancellationToken);
        using var client = new HttpClient { BaseAddress = fake.Address };
        var token = await PostAsync(client, "users/getToken", new JsonObject { ["imp_key"] = "fake_imp_key", ["imp_secret"] = "fake_imp_secret" }, null, cancellationToken);
        Assert.That(fake.StartOutput, Does.Match("seed -?[0-9]+"));
        return (string)token["response"]!["access_token"]!;
    }

    private static JsonObject Charge(string customerUid, string merchantUid) =>
        new() { ["customer_uid"] = customerUid, ["merchant_uid"] = merchantUid, ["amount"] = 1000, ["name"] = "n" };

    private static async Task<JsonNode> PostAsync(HttpClient client, string path, JsonObject body, string? token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
    }
}
