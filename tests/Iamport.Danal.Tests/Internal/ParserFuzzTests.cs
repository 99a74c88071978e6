using System;
using System.IO;
using System.Linq;
using Iamport.Danal.Checkout;

namespace Iamport.Danal.Tests.Internal;

/// <summary>Seeded fuzzing of every parser of outside input: any bytes give a result or the documented <see cref="FormatException"/>.</summary>
/// <remarks>A failure prints the seed; set <see cref="FuzzInputs.SeedVariable"/> to it to replay the same inputs.</remarks>
public class ParserFuzzTests
{
    private const int Inputs = 100_000;

    private static string Fixtures => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData");

    [Test]
    public void FromCallbackJson_FuzzedBytes_OnlyFormatException() =>
        Fuzz(FuzzInputs.CallbackShapes, Fixtures, inputs =>
        {
            byte[] bytes = inputs.NextBytes();
            return (FuzzInputs.Show(bytes), () => UntrustedPaymentHint.FromCallbackJson(bytes));
        });

    [Test]
    public void FromCallbackJson_FuzzedText_OnlyFormatException() =>
        Fuzz(FuzzInputs.CallbackShapes, Fixtures, inputs =>
        {
            string text = inputs.NextText();
            return (FuzzInputs.Show(text), () => UntrustedPaymentHint.FromCallbackJson(text));
        });

    [Test]
    public void FromRedirectQuery_FuzzedText_OnlyFormatException() =>
        Fuzz(FuzzInputs.RedirectShapes, null, inputs =>
        {
            string text = inputs.NextText();
            return (FuzzInputs.Show(text), () => UntrustedPaymentHint.FromRedirectQuery(text));
        });

    [Test]
    public void Parse_FuzzedJsonWebhook_OnlyFormatException() =>
        Fuzz(FuzzInputs.WebhookJsonShapes, Fixtures, inputs =>
        {
            string text = inputs.NextText();
            return (FuzzInputs.Show(text), () => IamportWebhook.Parse(text, "application/json"));
        });

    [Test]
    public void Parse_FuzzedFormWebhook_OnlyFormatException() =>
        Fuzz(FuzzInputs.WebhookFormShapes, null, inputs =>
        {
            string text = inputs.NextText();
            return (FuzzInputs.Show(text), () => IamportWebhook.Parse(text, "application/x-www-form-urlencoded"));
        });

    [Test]
    public void Parse_FuzzedWebhookAnyContentType_OnlyFormatException() =>
        Fuzz([.. FuzzInputs.WebhookJsonShapes, .. FuzzInputs.WebhookFormShapes], Fixtures, inputs =>
        {
            string text = inputs.NextText();
            string? contentType = inputs.ContentType();
            return ($"{FuzzInputs.Show(text)} as {contentType ?? "(none)"}", () => IamportWebhook.Parse(text, contentType));
        });

    /// <summary>Runs <see cref="Inputs"/> inputs; fails on the first exception other than <see cref="FormatException"/>, with the seed.</summary>
    private static void Fuzz(string[] shapes, string? fixtures, Func<FuzzInputs, (string Shown, Func<object> Parse)> next)
    {
        int seed = FuzzInputs.Seed();
        TestContext.Out.WriteLine($"seed {seed} (replay: {FuzzInputs.SeedVariable}={seed})");
        var inputs = new FuzzInputs(seed, shapes, fixtures);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < Inputs; i++)
        {
            (string shown, Func<object> parse) = next(inputs);
            try
            {
                _ = parse();
                parsed++;
            }
            catch (FormatException)
            {
                refused++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} (replay: {FuzzInputs.SeedVariable}={seed}), input {i}: {ex.GetType().Name}: {ex.Message}\ninput: {shown}");
            }
        }

        TestContext.Out.WriteLine($"{parsed} parsed, {refused} refused");
        Assert.That(new[] { parsed, refused }, Is.All.GreaterThan(Inputs / 1000), $"seed {seed}: the inputs reach both outcomes (parsed {parsed}, refused {refused})");
    }

    [Test]
    public void FuzzInputs_SameSeed_SameInputs()
    {
        var a = new FuzzInputs(7, FuzzInputs.CallbackShapes);
        var b = new FuzzInputs(7, FuzzInputs.CallbackShapes);

        Assert.That(Enumerable.Range(0, 50).Select(_ => FuzzInputs.Show(a.NextBytes())), Is.EqualTo(Enumerable.Range(0, 50).Select(_ => FuzzInputs.Show(b.NextBytes()))));
    }
}
