using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Benchmarks;

/// <summary>The pieces of one library charge that the raw baseline does not have, or does differently: where the gap comes from.</summary>
[MemoryDiagnoser]
public class PartsBenchmarks
{
    private static readonly ChargeRequest Request = ChargeBenchmarks.LibraryRequest();
    private static readonly RawChargeBody RawBody = ChargeBenchmarks.RawRequest();

    private byte[] _again = null!;

    [GlobalSetup]
    public void Setup()
    {
        using Stream stream = typeof(PartsBenchmarks).Assembly.GetManifestResourceStream("again-paid.json")!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        _again = copy.ToArray();
    }

    [Benchmark(Description = "ChargeRequest.Validate()")]
    public void Validate() => Request.Validate();

    [Benchmark(Description = "deserialize envelope: library Payment")]
    public object? DeserializeLibrary() => JsonSerializer.Deserialize(_again, IamportJsonContext.Default.IamportResponsePayment);

    [Benchmark(Description = "deserialize envelope: raw DTO")]
    public object? DeserializeRaw() => JsonSerializer.Deserialize(_again, RawJson.Default.RawEnvelope);

    [Benchmark(Description = "serialize body: library ChargeRequest")]
    public byte[] SerializeLibrary() => JsonSerializer.SerializeToUtf8Bytes(Request, IamportJsonContext.Default.ChargeRequest);

    [Benchmark(Description = "serialize body: raw DTO")]
    public byte[] SerializeRaw() => JsonSerializer.SerializeToUtf8Bytes(RawBody, RawJson.Default.RawChargeBody);

    [Benchmark(Description = "the transport's timeout: CTS + CancelAfter + Dispose")]
    public bool TimeoutSource()
    {
        using var timeout = new CancellationTokenSource();
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        return timeout.IsCancellationRequested;
    }
}
