using System;
using System.Runtime.InteropServices;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Server;

/// <summary>Starts the fake on a loopback port and runs until Ctrl+C (SIGINT) or SIGTERM.</summary>
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

        // Stop gracefully on Ctrl+C and SIGTERM. Cancelling the default action keeps the runtime from exiting while the
        // handler runs; the continuation runs on the thread pool, never inside the signal handler.
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopped.TrySetResult();
        }

        var fake = new FakeIamport(arguments.Options);
        await using var disposeFake = fake.ConfigureAwait(false);
        foreach (var (customerUid, card) in arguments.BillingKeys)
        {
            fake.IssueBillingKey(customerUid, card);
        }

        var address = await fake.StartAsync(arguments.Port).ConfigureAwait(false);
        Console.WriteLine("Fake I'mport (Danal) with imp_key " + arguments.Options.ImpKey + " and " + arguments.BillingKeys.Count + " billing key(s), seed " + arguments.Options.Seed + ".");
        Console.WriteLine("Checkout script: " + new Uri(address, "v1/iamport.js"));
        Console.WriteLine("Now listening on: " + address);
        await stopped.Task.ConfigureAwait(false);
        Console.WriteLine("Stopping.");
        return 0;
    }
}
