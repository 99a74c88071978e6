using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Iamport.Danal.Testing.Tests.Server;

/// <summary>The iamport-fake tool started as a real process on a loopback port, stopped (killed if need be) on dispose.</summary>
internal sealed class StandaloneFake : IAsyncDisposable
{
    private readonly StringBuilder _output = new();

    private StandaloneFake(Process process, Uri address)
    {
        Process = process;
        Address = address;
    }

    public Process Process { get; }

    public Uri Address { get; }

    public static async Task<StandaloneFake> StartAsync(string[] args, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Iamport.Danal.Testing.Server.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.StartsWith("Now listening on: ", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult(new Uri(e.Data["Now listening on: ".Length..]));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("iamport-fake exited: " + output));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(cancellationToken);
            var fake = new StandaloneFake(process, address);
            lock (output)
            {
                fake._output.Append(output);
            }

            return fake;
        }
        catch
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
            throw;
        }
    }

    /// <summary>What the process printed up to the listening line.</summary>
    public string StartOutput => _output.ToString();

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            await Process.WaitForExitAsync(CancellationToken.None);
        }

        Process.Dispose();
    }
}
