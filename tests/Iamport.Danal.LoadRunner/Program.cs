using System;
using System.Threading.Tasks;
using Iamport.Danal.LoadRunner;
using Iamport.Danal.LoadRunner.Renewal;

// Usage: dotnet run -c Release --project tests/Iamport.Danal.LoadRunner -- [--soak|--growth] [-n 10000] [-c 64] [--fault-rate 0.1] [--no-401-fault] [--resilience] [--seed 7]
// The renewal measurement (the shop's renewal processes against one store): its own subcommand, see README.md.
if (args is ["renewal", .. var renewalArgs])
{
    return await RenewalCommand.RunAsync(renewalArgs);
}

RunOptions options;
try
{
    options = RunOptions.Parse(args, Console.Error);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine("usage: [--soak|--growth] [-n|--count N] [-c|--concurrency C] [--warmup W] [--keys K] [--fault-rate R] [--no-401-fault] [--resilience] [--seed S]");
    return 2;
}

Console.WriteLine($"{Environment.MachineName}: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
if (options.Growth)
{
    GrowthReport growth = await ChargeRunner.RunGrowthAsync(options);
    growth.Print(Console.Out);
    return growth.Passed ? 0 : 1;
}

if (options.Soak)
{
    SoakReport soak = await ChargeRunner.RunSoakAsync(options);
    soak.Print(Console.Out);
    return soak.Passed ? 0 : 1;
}

LoadReport load = await ChargeRunner.RunLoadAsync(options);
load.Print(Console.Out);
return load.Passed ? 0 : 1;
