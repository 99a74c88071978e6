using System;
using System.Globalization;
using Iamport.Danal;
using Iamport.Danal.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Charges a Danal billing key through I'mport:
//   dotnet run --project samples/Iamport.Danal.Samples.Console -- --customer-uid cust_1 --amount 9900
// Settings come from the "Iamport" section (appsettings.json, IAMPORT__IMPKEY-style environment variables, or
// --Iamport:ImpKey ... on the command line). Without an ImpKey the sample charges the fake I'mport in-process.
// Exit codes: 0 approved, 1 declined, 2 not charged, 3 outcome unknown, 4 refused by I'mport, 64 bad arguments.
// Offline extras: --fake-card <test card> (e.g. 9410-0000-0000-0051 declines), --fake-fault lost-reply|reset|unknown.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

string? customerUid = builder.Configuration["customer-uid"];
string? amountText = builder.Configuration["amount"];
if (string.IsNullOrWhiteSpace(customerUid) || !decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal amount))
{
    Console.Error.WriteLine("usage: --customer-uid <billing key> --amount <KRW> [--merchant-uid <id>] [--name <order name>] [--Iamport:ImpKey <key> --Iamport:ImpSecret <secret>]");
    return 64;
}

string merchantUid = builder.Configuration["merchant-uid"] ?? "console_" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
string name = builder.Configuration["name"] ?? "정기결제";

FakeIamport? fake = null;
IHttpClientBuilder http;
if (string.IsNullOrEmpty(builder.Configuration["Iamport:ImpKey"]))
{
    // Offline: a fake I'mport in this process, with the customer's billing key already issued.
    fake = new FakeIamport();
    fake.IssueBillingKey(customerUid, builder.Configuration["fake-card"] ?? TestCards.Approve);
    switch (builder.Configuration["fake-fault"])
    {
        case null:
            break;
        case "lost-reply":
            // The charge is applied but its reply is lost: the client looks the order up and reports it approved.
            fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
            break;
        case "reset":
            // The connection drops before anything is applied: the look-up finds nothing, so "not charged".
            fake.Faults.Next(FakeRoutes.Again, Fault.ResetBeforeCommit());
            break;
        case "unknown":
            // The reply is lost and every look-up fails too: "outcome unknown" once the (here shortened) window closes.
            fake.Faults.Next(FakeRoutes.Again, Fault.DropResponseAfterCommit());
            fake.Faults.Next(FakeRoutes.FindAllPayments, Fault.ServerErrorHtml(), count: 1000);
            builder.Configuration["Iamport:ReconciliationWindow"] = "00:00:01";
            break;
        default:
            Console.Error.WriteLine("--fake-fault must be lost-reply, reset or unknown.");
            return 64;
    }

    builder.Configuration["Iamport:ImpKey"] = fake.Options.ImpKey;
    builder.Configuration["Iamport:ImpSecret"] = fake.Options.ImpSecret;
    http = builder.Services.AddIamport(builder.Configuration.GetSection(IamportOptions.SectionName));
    http.UseFakeIamport(fake);
    Console.WriteLine($"No Iamport:ImpKey configured: charging the fake I'mport in-process (billing key {customerUid} issued).");
}
else
{
    http = builder.Services.AddIamport(builder.Configuration.GetSection(IamportOptions.SectionName));
}

try
{
    using IHost host = builder.Build();
    await host.StartAsync();
    var client = host.Services.GetRequiredService<IIamportClient>();
    try
    {
        ChargeResult result = await client.ChargeBillingKeyAsync(new ChargeRequest
        {
            CustomerUid = customerUid,
            MerchantUid = merchantUid,
            Amount = amount,
            Name = name,
        });

        switch (result.Outcome)
        {
            case ChargeOutcome.Approved:
                Console.WriteLine($"APPROVED  {merchantUid}: {amount:N0} KRW charged (imp_uid {result.Payment?.ImpUid}, approval {result.Payment?.ApprovalNumber}).");
                return 0;
            case ChargeOutcome.Declined:
                Console.WriteLine($"DECLINED  {merchantUid}: the card company refused: {result.FailReason}. Nothing was charged.");
                return 1;
            default:
                Console.WriteLine($"NOT CHARGED  {merchantUid}: the reply was lost and I'mport has no payment for it. It is safe to try again.");
                return 2;
        }
    }
    catch (IamportOutcomeUnknownException ex)
    {
        Console.WriteLine($"OUTCOME UNKNOWN  {ex.MerchantUid}: the card may have been charged. Do not charge again; look the order up later.");
        Console.Error.WriteLine(ex.Message);
        return 3;
    }
    catch (IamportException ex)
    {
        Console.WriteLine($"REFUSED  {merchantUid}: I'mport answered HTTP {ex.StatusCode} code {ex.Code}: {ex.ApiMessage ?? ex.ResponseExcerpt}");
        return 4;
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine("Invalid charge: " + ex.Message);
        return 64;
    }
    finally
    {
        await host.StopAsync();
    }
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    Console.Error.WriteLine("Invalid Iamport settings: " + ex.Message);
    return 64;
}
finally
{
    if (fake is not null)
    {
        await fake.DisposeAsync();
    }
}
