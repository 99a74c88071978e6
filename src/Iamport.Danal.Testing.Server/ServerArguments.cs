using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Server;

/// <summary>The command line of <c>iamport-fake</c>, parsed.</summary>
internal sealed class ServerArguments
{
    public const int DefaultPort = 5099;

    public const string Usage = """
        iamport-fake: a fake I'mport (PortOne V1) API with Danal billing-key behaviour on 127.0.0.1.

        Options:
          --port N                   port to listen on (default 5099; 0 = any free port)
          --imp-key KEY              REST API key accepted by /users/getToken (default fake_imp_key)
          --imp-secret SECRET        REST API secret (default fake_imp_secret)
          --merchant-code CODE       merchant code IMP.init must use (default: any)
          --billing-key UID[:CARD]   pre-issue a billing key; repeatable. CARD is approve (default), check,
                                     decline (= limit, 한도초과), suspended, insufficient, or a test card number
          --keys-file PATH           JSON array of "UID[:CARD]" strings or {"customer_uid": UID, "card": CARD} objects
          --webhook-url URL          where webhooks go when a payment has no notice_url
          --webhook-format json|form webhook body encoding (default json)
          --resend-webhooks          resend a webhook the receiver failed (network error, timeout, 5xx) up to
                                     5 times, one minute apart (I'mport's resend setting; default: sent once)
          --webhooks-race-answer     answer requests without waiting for their webhooks (default: the webhook
                                     is tried before the request that caused it is answered)
          --not-found route|404|200  how look-ups of missing things are answered (default route: as the real
                                     service answers each route; 404 or 200 forces one style everywhere)
          --sandbox                  test channel: payments carry sandbox:true and need include_sandbox=true
          --seed N                   seed of tokens and imp_uids (default: random, printed at start; equal seeds
                                     and equal requests give equal tokens and imp_uids)
          --legacy-callback          the checkout window answers with success/imp_success (the old SDK shape)
          --help                     show this text
        """;

    public FakeIamportOptions Options { get; } = new();

    public int Port { get; private set; } = DefaultPort;

    public List<(string CustomerUid, string CardNumber)> BillingKeys { get; } = [];

    public bool Help { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="FormatException"/> with a readable message on a mistake.</summary>
    public static ServerArguments Parse(IReadOnlyList<string> args)
    {
        var result = new ServerArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException(name + " needs a value.");
            switch (name)
            {
                case "--port":
                    result.Port = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                        ? port
                        : throw new FormatException("--port needs a number from 0 to 65535.");
                    break;
                case "--imp-key":
                    result.Options.ImpKey = Value();
                    break;
                case "--imp-secret":
                    result.Options.ImpSecret = Value();
                    break;
                case "--merchant-code":
                    result.Options.MerchantCode = Value();
                    break;
                case "--billing-key":
                    result.BillingKeys.Add(ParseKey(Value()));
                    break;
                case "--keys-file":
                    result.BillingKeys.AddRange(ReadKeysFile(Value()));
                    break;
                case "--webhook-url":
                    result.Options.WebhookUrl = Uri.TryCreate(Value(), UriKind.Absolute, out var url) ? url : throw new FormatException("--webhook-url needs an absolute URL.");
                    break;
                case "--webhook-format":
                    result.Options.WebhookFormat = Value().ToUpperInvariant() switch
                    {
                        "JSON" => WebhookFormat.Json,
                        "FORM" => WebhookFormat.Form,
                        _ => throw new FormatException("--webhook-format is json or form."),
                    };
                    break;
                case "--resend-webhooks":
                    result.Options.ResendWebhooks = true;
                    break;
                case "--webhooks-race-answer":
                    result.Options.AnswerAfterWebhooks = false;
                    break;
                case "--not-found":
                    result.Options.NotFoundStyle = Value() switch
                    {
                        "route" => NotFoundStyle.PerRoute,
                        "404" => NotFoundStyle.Http404,
                        "200" => NotFoundStyle.Http200,
                        _ => throw new FormatException("--not-found is route, 404 or 200."),
                    };
                    break;
                case "--sandbox":
                    result.Options.Sandbox = true;
                    break;
                case "--seed":
                    result.Options.Seed = int.TryParse(Value(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed)
                        ? seed
                        : throw new FormatException("--seed needs a whole number.");
                    break;
                case "--legacy-callback":
                    result.Options.LegacyCallback = true;
                    break;
                case "--help" or "-h" or "-?":
                    result.Help = true;
                    break;
                default:
                    throw new FormatException("Unknown option " + name + ". Try --help.");
            }
        }

        // Random unless given, and always known: the start line prints it so a run can be replayed.
        result.Options.Seed ??= Random.Shared.Next();
        return result;
    }

    /// <summary><c>cust_1</c>, <c>cust_2:decline</c> or <c>cust_3:9410-0000-0000-0052</c>.</summary>
    public static (string CustomerUid, string CardNumber) ParseKey(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var uid = (colon < 0 ? text : text[..colon]).Trim();
        var card = colon < 0 ? "approve" : text[(colon + 1)..].Trim();
        if (uid.Length == 0 || uid.Length > 80)
        {
            throw new FormatException("A billing key needs a customer_uid of 1 to 80 characters: " + text);
        }

        return (uid, Card(card));
    }

    private static string Card(string word) => word.ToUpperInvariant() switch
    {
        "APPROVE" or "OK" => TestCards.Approve,
        "CHECK" => TestCards.ApproveCheckCard,
        "DECLINE" or "LIMIT" => TestCards.LimitExceeded,
        "SUSPENDED" => TestCards.Suspended,
        "INSUFFICIENT" => TestCards.InsufficientBalance,
        _ when TestCards.All.Contains(word) && word != TestCards.FailIssuance => word,
        _ => throw new FormatException("Unknown card " + word + ": use approve, check, decline, suspended, insufficient or a test card number."),
    };

    private static List<(string, string)> ReadKeysFile(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new FormatException("Cannot read --keys-file " + path + ": " + ex.Message, ex);
        }

        if (root is not JsonArray entries)
        {
            throw new FormatException("--keys-file must hold a JSON array.");
        }

        var keys = new List<(string, string)>();
        foreach (var entry in entries)
        {
            keys.Add(entry switch
            {
                JsonValue value when value.TryGetValue<string>(out var text) => ParseKey(text),
                JsonObject obj when obj["customer_uid"]?.GetValue<string>() is { } uid => ParseKey(uid + ":" + (obj["card"]?.GetValue<string>() ?? "approve")),
                _ => throw new FormatException("Each --keys-file entry is \"UID[:CARD]\" or {\"customer_uid\": ..., \"card\": ...}."),
            });
        }

        return keys;
    }
}
