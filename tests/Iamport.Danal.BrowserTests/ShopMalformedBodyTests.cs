using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Iamport.Danal.Checkout;
using Iamport.Danal.Tests.Internal;

namespace Iamport.Danal.BrowserTests;

/// <summary>The shop's endpoints that read outside bodies answer 400, never 500, to a seeded sample of the parser fuzz inputs.</summary>
/// <remarks>A failure prints the seed; set <see cref="FuzzInputs.SeedVariable"/> to it to replay.</remarks>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class ShopMalformedBodyTests
{
    private const int Inputs = 300;

    /// <summary>Bodies that once made the endpoints answer 500, sent before the fuzzed ones.</summary>
    private static readonly string[] KnownCallbacks =
    [
        """{"imp_uid":"imp_1","merchant_uid":"m_1","error_msg":"\ud800"}""",
        """{"merchant_uid":"m_1","\udc00":1}""",
        """{"merchant_uid":"m_1","custom_data":{"a":"\ud800"}}""",
    ];

    /// <inheritdoc cref="KnownCallbacks"/>
    private static readonly (string Body, string ContentType)[] KnownWebhooks =
    [
        ("""{"imp_uid":"imp_1","merchant_uid":"m_1","status":"paid","cancellation_id":"\ud800"}""", "application/json"),
        ("imp_uid=imp_1&merchant_uid=m_1&status=paid&cancellation_id=%ED%A0%80", "application/x-www-form-urlencoded"),
        ("imp_uid=..&merchant_uid=m_1&status=paid", "application/x-www-form-urlencoded"),
        ("""{"imp_uid":"%2e%2e","merchant_uid":"m_1","status":"paid"}""", "application/json"),
    ];

    [Test]
    public async Task Verify_FuzzedBodies_400WhenRefused_Never500()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var customer = await shop.NewCustomerAsync();
        int seed = FuzzInputs.Seed();
        TestContext.Out.WriteLine($"seed {seed} (replay: {FuzzInputs.SeedVariable}={seed})");
        var inputs = new FuzzInputs(seed, FuzzInputs.CallbackShapes);
        int refused = 0;
        for (int i = 0; i < KnownCallbacks.Length + Inputs; i++)
        {
            byte[] body = i < KnownCallbacks.Length ? Encoding.UTF8.GetBytes(KnownCallbacks[i]) : inputs.NextBytes();
            bool malformed = Refuses(() => UntrustedPaymentHint.FromCallbackJson(AsShopReads(body)));
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await customer.Http.PostAsync(new Uri("api/checkouts/verify", UriKind.Relative), content);

            refused += malformed ? 1 : 0;
            Assert.That(response.StatusCode, malformed ? Is.EqualTo(HttpStatusCode.BadRequest) : Is.AnyOf(HttpStatusCode.OK, HttpStatusCode.BadRequest),
                $"seed {seed}, input {i}: {FuzzInputs.Show(body)}");
        }

        Assert.That(refused, Is.GreaterThan(Inputs / 2), "most fuzzed bodies are malformed");
    }

    [Test]
    public async Task Webhook_FuzzedBodiesAnyContentType_400WhenRefused_Never500()
    {
        await using var shop = await ShopHost.StartEmbeddedAsync();
        using var http = new HttpClient { BaseAddress = shop.Address };
        int seed = FuzzInputs.Seed();
        TestContext.Out.WriteLine($"seed {seed} (replay: {FuzzInputs.SeedVariable}={seed})");
        var inputs = new FuzzInputs(seed, [.. FuzzInputs.WebhookJsonShapes, .. FuzzInputs.WebhookFormShapes]);
        int refused = 0;
        for (int i = 0; i < KnownWebhooks.Length + Inputs; i++)
        {
            byte[] body = i < KnownWebhooks.Length ? Encoding.UTF8.GetBytes(KnownWebhooks[i].Body) : inputs.NextBytes();
            string? contentType = i < KnownWebhooks.Length ? KnownWebhooks[i].ContentType : inputs.ContentType();
            bool malformed = Refuses(() => IamportWebhook.Parse(AsShopReads(body), string.IsNullOrEmpty(contentType) ? null : contentType));
            using var content = new ByteArrayContent(body);
            if (!string.IsNullOrEmpty(contentType))
            {
                content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            using var response = await http.PostAsync(new Uri("iamport/webhook", UriKind.Relative), content);

            refused += malformed ? 1 : 0;
            Assert.That(response.StatusCode, Is.EqualTo(malformed ? HttpStatusCode.BadRequest : HttpStatusCode.OK),
                $"seed {seed}, input {i} as {contentType ?? "(none)"}: {FuzzInputs.Show(body)}");
        }

        Assert.That(refused, Is.GreaterThan(Inputs / 2), "most fuzzed bodies are malformed");
    }

    /// <summary>Decodes the body as the endpoints do (a <see cref="StreamReader"/> over the request body).</summary>
    private static string AsShopReads(byte[] body)
    {
        using var reader = new StreamReader(new MemoryStream(body));
        return reader.ReadToEnd();
    }

    private static bool Refuses(Action parse)
    {
        try
        {
            parse();
            return false;
        }
        catch (FormatException)
        {
            return true;
        }
    }
}
