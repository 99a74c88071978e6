using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal;

namespace Shop.Tests;

/// <summary>
/// The answers a test gives to the <see cref="IIamportClient"/> calls it expects; <see cref="Client"/> is the mock.
/// </summary>
/// <remarks>
/// The library says: mock <see cref="IIamportClient"/>, do not implement it, because members are added in minor
/// versions. So this shop does not write a class implementing the interface: <see cref="Client"/> is created at run time
/// (<see cref="DispatchProxy"/>, what a mocking library does underneath), answers the calls set up here by name, and
/// fails any other call loudly. A member added to the interface later does not break this file.
/// </remarks>
internal sealed class StubIamportClient
{
    public StubIamportClient()
    {
        IIamportClient client = DispatchProxy.Create<IIamportClient, Proxy>();
        ((Proxy)client).Stub = this;
        Client = client;
    }

    /// <summary>Gets the mock to hand to the shop.</summary>
    public IIamportClient Client { get; }

    public Dictionary<string, Payment> PaymentsByImpUid { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Payment> PaymentsByMerchantUid { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, BillingKey> BillingKeys { get; } = new(StringComparer.Ordinal);

    public Func<ChargeRequest, ChargeResult>? Charge { get; set; }

    public Func<ChargeRequest, ChargeResult>? Outcome { get; set; }

    public Func<PaymentStatus?, IamportPageable<Payment>>? PaymentsByStatus { get; set; }

    public List<string> Calls { get; } = [];

    private object? Answer(string method, object?[] args) => method switch
    {
        nameof(IIamportClient.ChargeBillingKeyAsync) => Task.FromResult(Record("charge", ((ChargeRequest)args[0]!).MerchantUid, (Charge ?? throw Unexpected(method))((ChargeRequest)args[0]!))),
        nameof(IIamportClient.GetChargeOutcomeAsync) => Task.FromResult(Record("outcome", ((ChargeRequest)args[0]!).MerchantUid, (Outcome ?? throw Unexpected(method))((ChargeRequest)args[0]!))),
        nameof(IIamportClient.GetPaymentAsync) => Task.FromResult(Record("get", (string)args[0]!, PaymentsByImpUid.GetValueOrDefault((string)args[0]!))),
        nameof(IIamportClient.GetPaymentByMerchantUidAsync) => Task.FromResult(Record("find", (string)args[0]!, PaymentsByMerchantUid.GetValueOrDefault((string)args[0]!))),
        nameof(IIamportClient.GetBillingKeyAsync) => Task.FromResult(Record("key", (string)args[0]!, BillingKeys.GetValueOrDefault((string)args[0]!))),
        nameof(IIamportClient.GetPaymentsByStatusAsync) => (PaymentsByStatus ?? throw Unexpected(method))((PaymentStatus?)args[0]),
        _ => throw Unexpected(method),
    };

    private T Record<T>(string verb, string id, T answer)
    {
        Calls.Add(verb + " " + id);
        return answer;
    }

    private static NotSupportedException Unexpected(string method) => new($"The test did not expect {method}.");

    /// <summary>The run-time implementation of <see cref="IIamportClient"/>: every call goes to <see cref="Answer"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1852:Seal internal types", Justification = "DispatchProxy derives the run-time implementation from it.")]
    public class Proxy : DispatchProxy
    {
        internal StubIamportClient Stub { get; set; } = null!;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            Stub.Answer(targetMethod!.Name, args ?? []);
    }
}
