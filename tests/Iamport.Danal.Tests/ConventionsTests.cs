using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.BillingKeys;
using Iamport.Danal.Payments;
using Iamport.Danal.Schedules;
using Iamport.Danal.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace Iamport.Danal.Tests;

public class ConventionsTests
{
    private static readonly Assembly Library = typeof(IamportClient).Assembly;

    private static IEnumerable<Type> PublicTypes => Library.GetExportedTypes();

    [Test]
    public void PublicAsyncMethods_EndInAsyncAndTakeCancellationTokenLast()
    {
        var offenders = PublicTypes
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => IsAsync(m.ReturnType))
            .Where(m => !m.Name.EndsWith("Async", StringComparison.Ordinal)
                || m.GetParameters().LastOrDefault()?.ParameterType != typeof(CancellationToken)
                || !m.GetParameters().Last().HasDefaultValue)
            .Select(m => m.DeclaringType!.Name + "." + m.Name)
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PublicTypes.SelectMany(t => t.GetMethods()).Count(m => IsAsync(m.ReturnType)), Is.GreaterThan(0));
            Assert.That(offenders, Is.Empty);
        }
    }

    [Test]
    public void PublicClasses_AreSealedOrStaticOrExceptionBases()
    {
        var offenders = PublicTypes
            .Where(t => t.IsClass && !t.IsSealed && !(t.IsAbstract && t.IsSealed))
            .Where(t => !(typeof(Exception).IsAssignableFrom(t) && PublicTypes.Any(d => d.BaseType == t)))
            .Select(t => t.FullName)
            .ToList();

        Assert.That(offenders, Is.Empty);
    }

    [Test]
    public void ResponseModels_HaveSettablePropertiesAndUnixTimeConverters()
    {
        // Settable, not init: source-generated System.Text.Json fills init-only properties through a boxed argument
        // array (the benchmarks measured a payment read 30 % slower). Times carry their converter on the property, since
        // an options-wide converter would turn the serializer's fast paths off for every type.
        Type[] models = [typeof(Payment), typeof(PaymentCancellation), typeof(PreparedPayment), typeof(BillingKey), typeof(Schedule), typeof(Page<Payment>)];
        PropertyInfo[] properties = [.. models.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))];
        var initOnly = properties
            .Where(p => p.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit") == true)
            .Select(p => p.DeclaringType!.Name + "." + p.Name);
        var timesWithoutConverter = properties
            .Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(DateTimeOffset))
            .Where(p => p.GetCustomAttribute<JsonConverterAttribute>() is null)
            .Select(p => p.DeclaringType!.Name + "." + p.Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties.Count(p => p.SetMethod is not null), Is.GreaterThan(80));
            Assert.That(initOnly, Is.Empty);
            Assert.That(timesWithoutConverter, Is.Empty);
        }
    }

    [Test]
    public void InternalNamespace_HasNoPublicTypes()
    {
        Assert.That(PublicTypes.Where(t => t.Namespace?.Contains(".Internal", StringComparison.Ordinal) == true).Select(t => t.FullName), Is.Empty);
    }

    [Test]
    public void ChargeBillingKeyAsync_TokenAlreadyCancelled_ThrowsOperationCanceledUnwrapped()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        MockedRequest any = mock.When("*").Respond("application/json", Api.Token());

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>(), () => Api.Client(mock).ChargeBillingKeyAsync(Api.Charge(), new CancellationToken(true)));
        Assert.That(mock.GetMatchCount(any), Is.Zero);
    }

    [Test]
    public async Task ChargeBillingKeyAsync_CancelledInFlight_ThrowsOperationCanceledWithoutLookup()
    {
        using var mock = new MockHttpMessageHandler(BackendDefinitionBehavior.Always);
        mock.WhenToken();
        var sent = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        MockedRequest again = mock.When(HttpMethod.Post, Api.AgainUrl);
        again.Respond(() =>
        {
            sent.SetResult(true);
            return new TaskCompletionSource<HttpResponseMessage>().Task;
        });
        MockedRequest find = mock.When(HttpMethod.Get, Api.FindUrl).Respond("application/json", Api.Fixture("again-paid.json"));
        using var cts = new CancellationTokenSource();

        Task<Iamport.Danal.Payments.ChargeResult> charge = Api.Client(mock).ChargeBillingKeyAsync(Api.Charge(), cts.Token);
        await sent.Task;
        cts.Cancel();

        Assert.ThrowsAsync(Is.InstanceOf<OperationCanceledException>().And.Not.InstanceOf<IamportException>(), () => charge);
        Assert.That(mock.GetMatchCount(find), Is.Zero);
    }

    private static bool IsAsync(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Task<>) || d == typeof(ValueTask<>) || d == typeof(IAsyncEnumerable<>)));
}
