using System;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Server;

/// <summary>Starts the fake on a loopback port and runs until Ctrl+C or SIGTERM.</summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ServerArguments arguments;
        try
        {
            arguments = ServerArguments.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (arguments.Help)
        {
            Console.WriteLine(ServerArguments.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

        var fake = new FakeIamport(arguments.Options);
        await using var disposeFake = fake.ConfigureAwait(false);
        foreach (var (customerUid, card) in arguments.BillingKeys)
        {
            fake.IssueBillingKey(customerUid, card);
        }

        var address = await fake.StartAsync(arguments.Port, stop.Token).ConfigureAwait(false);
        Console.WriteLine("Fake I'mport (Danal) with imp_key " + arguments.Options.ImpKey + " and " + arguments.BillingKeys.Count + " billing key(s).");
        Console.WriteLine("Checkout script: " + new Uri(address, "v1/iamport.js"));
        Console.WriteLine("Now listening on: " + address);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Asked to stop.
        }

        return 0;
    }
}
