using System;
using System.Threading.Tasks;

namespace Iamport.Danal.LoadRunner.Renewal;

/// <summary>The <c>renewal</c> subcommand: see README.md, "Renewal measurement".</summary>
public static class RenewalCommand
{
    public const string Usage =
        "usage: renewal [--engine job|schedule] --subscriptions N --latency-ms L --concurrency C --instances K --store sqlite|postgres [--postgres CONNECTION]";

    public static async Task<int> RunAsync(string[] args)
    {
        RenewalRunOptions options;
        try
        {
            options = RenewalRunOptions.Parse(args, Console.Error);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }

        Console.WriteLine($"{Environment.MachineName}: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        RenewalRunReport report = options.Engine == "schedule" ? await ScheduleRenewalRunner.RunAsync(options) : await RenewalRunner.RunAsync(options);
        Console.WriteLine($"charge requests at the fake {report.ChargeRequests}, left claimed or unknown in the store {report.LeftUnresolved}, failed shop processes {report.FailedProcesses}: {(report.Passed ? "PASS" : "FAIL")}");
        Console.WriteLine(report.Line);
        return report.Passed ? 0 : 1;
    }
}
