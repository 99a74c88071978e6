using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
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

            // As in the Azure SDK: the pages of a list follow the list's own call (its token, and WithCancellation), and
            // FromPages only wraps pages a test already has.
            .Where(m => !(m.DeclaringType!.IsGenericType && m.DeclaringType.GetGenericTypeDefinition() == typeof(IamportPageable<>)))
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
    public void ResponseModels_FilledByTheGeneratedPathWithUnixTimeConverters()
    {
        // Internal setters with [JsonInclude], not init: source-generated System.Text.Json fills init-only properties
        // through a boxed argument array (the benchmarks measured a payment read 30 % slower). Times carry their converter
        // on the property, since an options-wide converter would turn the serializer's fast paths off for every type.
        Type[] models = [typeof(Payment), typeof(PaymentCancellation), typeof(PaymentPromotion), typeof(PreparedPayment), typeof(BillingKey), typeof(Schedule), typeof(IamportPage<Payment>)];
        PropertyInfo[] properties = [.. models.SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))];
        var initOnly = properties.Where(IsInitOnly).Select(Name);
        var settableWithoutInclude = properties.Where(p => p.SetMethod is not null && p.GetCustomAttribute<JsonIncludeAttribute>() is null).Select(Name);
        var timesWithoutConverter = properties
            .Where(p => (Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType) == typeof(DateTimeOffset))
            .Where(p => p.GetCustomAttribute<JsonConverterAttribute>() is null)
            .Select(Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(properties.Count(p => p.GetSetMethod(nonPublic: true) is not null), Is.GreaterThan(80));
            Assert.That(initOnly, Is.Empty);
            Assert.That(settableWithoutInclude, Is.Empty, "an internal setter is only used by the serializer with [JsonInclude]");
            Assert.That(timesWithoutConverter, Is.Empty);
        }
    }

    [Test]
    public void Namespaces_EachHoldAtLeastFourPublicTypes()
    {
        var small = PublicTypes.GroupBy(t => t.Namespace).Where(g => g.Count() < 4).Select(g => $"{g.Key} ({g.Count()})");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(small, Is.Empty);
            Assert.That(PublicTypes.Select(t => t.Namespace).Distinct(), Is.EquivalentTo(UserNamespaces));
        }
    }

    [Test]
    public void Outputs_HaveNoPublicSetterOrInit()
    {
        // What the client returns is what I'mport said: users read it, and build their own in tests through the factory.
        var writable = Outputs()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Where(p => p.SetMethod?.IsPublic == true)
            .Select(Name);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Outputs().Select(t => t.Name), Is.SupersetOf(ExpectedModels));
            Assert.That(writable, Is.Empty);
            Assert.That(Outputs().SelectMany(t => t.GetConstructors()).Select(c => c.DeclaringType!.Name), Is.Empty, "no public constructor: the factory builds them");
        }
    }

    [Test]
    public void Outputs_EachBuiltByTheModelFactoryCoveringEveryProperty()
    {
        MethodInfo[] factory = typeof(IamportModelFactory).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly);
        var missing = new List<string>();
        foreach (Type model in Outputs())
        {
            // Generic containers build themselves, as Azure's Page<T>.FromValues and AsyncPageable<T>.FromPages do.
            MethodInfo? make = factory.FirstOrDefault(m => Definition(m.ReturnType) == model)
                ?? model.GetMethods(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(m => m.Name.StartsWith("From", StringComparison.Ordinal) && Definition(m.ReturnType) == model);
            if (make is null)
            {
                missing.Add(model.Name);
                continue;
            }

            // Every property the client can set, by setter or constructor, has a parameter; computed ones (RefundableAmount) need none.
            var parameters = make.GetParameters().Select(p => p.Name!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            missing.AddRange(model.GetProperties()
                .Where(p => p.GetSetMethod(nonPublic: true) is not null || HasBackingField(p))
                .Where(p => !parameters.Contains(p.Name) && !(p.Name == "Items" && parameters.Contains("values")))
                .Select(Name));
        }

        Assert.That(missing, Is.Empty);
    }

    [Test]
    public void ModelFactory_NewFieldPolicy_OneOverloadWithOptionalParametersPerModel()
    {
        // The documented policy: a new field adds an overload with every parameter, and the old one keeps its exact
        // signature without defaults (hidden from IntelliSense), so old binaries keep binding and new code sees one method.
        var overloaded = typeof(IamportModelFactory).GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .GroupBy(m => m.Name)
            .Where(g => g.Count(m => m.GetParameters().Any(p => p.IsOptional)) > 1)
            .Select(g => g.Key);

        Assert.That(overloaded, Is.Empty);
    }

    [TestCase(typeof(ChargeResult), nameof(ChargeResult.IsApproved), nameof(ChargeResult.Payment))]
    [TestCase(typeof(VerificationResult), nameof(VerificationResult.IsVerified), nameof(VerificationResult.Payment))]
    public void Outcome_GuaranteesItsMember_DeclaredWithMemberNotNullWhen(Type type, string outcome, string member)
    {
        var attribute = type.GetProperty(outcome)!.GetCustomAttributes()
            .SingleOrDefault(a => a.GetType().Name == "MemberNotNullWhenAttribute");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(attribute, Is.Not.Null, $"{type.Name}.{outcome} guarantees {member}: nullable code must not need '!'");
            Assert.That(attribute?.GetType().GetProperty("ReturnValue")!.GetValue(attribute), Is.True);
            Assert.That((string[]?)attribute?.GetType().GetProperty("Members")!.GetValue(attribute), Is.EqualTo(new[] { member }));
        }
    }

    [Test]
    public void Outcome_EveryMemberNotNullWhen_NamesANullableMemberAndIsListed()
    {
        // The full list of guarantees is the test cases above: a new [MemberNotNullWhen] must be added to them.
        var declared = PublicTypes.SelectMany(t => t.GetProperties())
            .Where(p => p.GetCustomAttributes().Any(a => a.GetType().Name == "MemberNotNullWhenAttribute"))
            .Select(Name);

        Assert.That(declared, Is.EquivalentTo(Guarantees));
    }

    [Test]
    public void ModelFactory_ChargeResultWithoutThePaymentItGuarantees_Throws()
    {
        // A mock must not return what the client never does: the attribute promises a payment.
        Assert.Throws<ArgumentNullException>(() => IamportModelFactory.ChargeResult(ChargeOutcome.Approved, "order-1", payment: null));
        Assert.Throws<ArgumentNullException>(() => IamportModelFactory.VerificationResult(VerificationCheck.None, payment: null));
    }

    [Test]
    public void PublicSurface_ExposesNoSerializerPlumbing()
    {
        Type[] plumbing = [typeof(System.Text.Json.Serialization.Metadata.JsonTypeInfo), typeof(JsonSerializerContext), typeof(System.Text.Json.JsonSerializerOptions), typeof(JsonConverter)];
        bool IsPlumbing(Type t) => plumbing.Any(p => p.IsAssignableFrom(t)) || (t.IsGenericType && t.GetGenericArguments().Any(IsPlumbing));
        var exposed = PublicTypes
            .Where(t => plumbing.Any(p => p.IsAssignableFrom(t)))
            .Select(t => t.Name)
            .Concat(PublicTypes.SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(m => m switch
                {
                    PropertyInfo p => IsPlumbing(p.PropertyType),
                    FieldInfo f => IsPlumbing(f.FieldType),
                    MethodInfo mi => IsPlumbing(mi.ReturnType),
                    _ => false,
                })
                .Select(m => m.DeclaringType!.Name + "." + m.Name));

        // Taking the caller's own JsonTypeInfo for the caller's own type (WithCustomData<T>) is a parameter, not plumbing exposed.
        Assert.That(exposed, Is.Empty);
    }

    private static readonly string[] UserNamespaces = ["Iamport.Danal", "Iamport.Danal.Checkout"];

    private static readonly string[] Guarantees = ["ChargeResult.IsApproved", "VerificationResult.IsVerified"];

    private static HashSet<Type> Outputs()
    {
        var models = new HashSet<Type>();
        foreach (MethodInfo method in ClientMethods)
        {
            CollectModels(method.ReturnType, models);
        }

        CollectModels(typeof(IamportPageable<>).GetMethod(nameof(IamportPageable<int>.AsPages))!.ReturnType, models);
        models.Remove(typeof(IamportPageable<>));

        // The webhook's notification is also only read: IamportWebhook.Parse makes it.
        models.Add(typeof(WebhookNotification));
        return models;
    }

    private static bool HasBackingField(PropertyInfo property) =>
        property.DeclaringType!.GetField($"<{property.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance) is not null;

    private static bool IsInitOnly(PropertyInfo property) =>
        property.SetMethod?.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit") == true;

    private static string Name(PropertyInfo property) => property.DeclaringType!.Name + "." + property.Name;

    [Test]
    public void ChargeBody_IsWrittenByTheGeneratedFastPath()
    {
        // A [JsonConverter] on any ChargeRequest property (bypass once had one) makes the source generator drop the
        // fast-path writer for the whole type: the body then took 1.2 us instead of 0.5 us per charge (PartsBenchmarks).
        Assert.That(Danal.Internal.IamportJsonContext.Default.ChargeRequest.SerializeHandler, Is.Not.Null);
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
    public async Task ChargeBillingKeyAsync_CancelledInFlight_ThrowsOutcomeUnknownCarryingTheCancellationWithoutLookup()
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
        MockedRequest find = mock.When(HttpMethod.Get, Api.FindUrl).Respond("application/json", Api.Page("again-paid.json"));
        using var cts = new CancellationTokenSource();

        Task<Iamport.Danal.ChargeResult> charge = Api.Client(mock).ChargeBillingKeyAsync(Api.Charge(), cts.Token);
        await sent.Task;
        cts.Cancel();

        // The charge may have left: the caller must learn that the card may have been charged, not "cancelled".
        var ex = Assert.ThrowsAsync<IamportOutcomeUnknownException>(() => charge);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex!.InnerException, Is.InstanceOf<OperationCanceledException>());
            Assert.That(ex.WasCancelled, Is.True);
            Assert.That(ex.MerchantUid, Is.EqualTo("sub_42_2026_12"));
            Assert.That(mock.GetMatchCount(find), Is.Zero, "the caller gave up: no look-up on their time");
        }
    }

    /// <summary>The writes whose answer is the list of schedules they changed: an answer, not a list to page through.</summary>
    private static readonly string[] WritesAnsweringWithSchedules = ["ScheduleAsync", "UnscheduleAsync", "UnscheduleAllAsync"];

    private static readonly string[] ExpectedLists = ["GetPaymentsByMerchantUidAsync", "GetPaymentsByStatusAsync", "GetPaymentsByCustomerUidAsync", "GetSchedulesByCustomerUidAsync", "GetSchedulesAsync"];

    private static readonly string[] OnlyAsPages = ["IamportPageable`1.AsPages", "IamportPage`1.FromValues"];

    private static readonly string[] ExpectedInputs = ["ChargeRequest", "CancelPaymentRequest", "ScheduleRequest", "VerifyPaymentRequest"];

    private static readonly string[] ExpectedModels = ["Payment", "PaymentCancellation", "ChargeResult", "VerificationResult", "BillingKey", "Schedule", "PreparedPayment", "IamportPage`1", "LookupResult`1", "WebhookNotification"];

    private static MethodInfo[] ClientMethods =>
        [.. typeof(IIamportClient).GetMethods(), .. typeof(IamportVerificationExtensions).GetMethods(BindingFlags.Public | BindingFlags.Static)];

    [Test]
    public void ListMembers_ReturnIamportPageable()
    {
        var lists = ClientMethods.Where(m => IsCollection(Unwrapped(m.ReturnType))).ToList();
        var offenders = lists
            .Where(m => !IsGeneric(m.ReturnType, typeof(IamportPageable<>)) && !WritesAnsweringWithSchedules.Contains(m.Name))
            .Select(m => m.Name);
        var pageables = lists.Where(m => IsGeneric(m.ReturnType, typeof(IamportPageable<>))).Select(m => m.Name).Distinct();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(offenders, Is.Empty, "every list is an IamportPageable<T>");
            Assert.That(pageables, Is.SupersetOf(ExpectedLists));
            Assert.That(typeof(IamportPageable<>).GetInterfaces().Select(i => i.GetGenericTypeDefinition()), Does.Contain(typeof(IAsyncEnumerable<>)));
        }
    }

    [Test]
    public void PublicMethods_ReturnPagesOnlyFromAsPages()
    {
        var offenders = PublicTypes
            .Where(t => t != typeof(IamportModelFactory))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => Mentions(m.ReturnType, typeof(IamportPage<>)))
            .Select(m => m.DeclaringType!.Name + "." + m.Name);

        Assert.That(offenders, Is.EquivalentTo(OnlyAsPages));
    }

    [Test]
    public void Inputs_ShareTheRequestSuffix()
    {
        var inputs = ClientMethods
            .SelectMany(m => m.GetParameters())
            .Select(p => Unwrapped(p.ParameterType))
            .Select(t => IsCollection(t) && t.IsGenericType ? t.GetGenericArguments()[0] : t)
            .Where(t => t.Assembly == Library && t.IsClass && t != typeof(IIamportClient))

            // A webhook notification and a browser's hint are parsed from what was received (IamportWebhook.Parse,
            // UntrustedPaymentHint.FromCallbackJson), not built by the caller.
            .Where(t => t != typeof(Iamport.Danal.WebhookNotification) && t != typeof(Iamport.Danal.Checkout.UntrustedPaymentHint))

            // A schedule's retry takes the schedule I'mport reported (its amount and key classify the charge).
            .Where(t => t != typeof(Schedule))
            .Distinct()
            .ToList();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inputs.Select(t => t.Name), Is.SupersetOf(ExpectedInputs));
            Assert.That(inputs.Where(t => !t.Name.EndsWith("Request", StringComparison.Ordinal)).Select(t => t.Name), Is.Empty);
        }
    }

    [Test]
    public void ModelFactory_SetsWhatItIsGiven()
    {
        Payment payment = IamportModelFactory.Payment(impUid: "imp_1", merchantUid: "order-1", amount: 9900m, cancelAmount: 900m, status: PaymentStatus.Paid);
        ChargeResult charge = IamportModelFactory.ChargeResult(ChargeOutcome.Declined, "order-1", payment, isReconciled: true);
        IamportPage<Schedule> page = IamportPage<Schedule>.FromValues([IamportModelFactory.Schedule(merchantUid: "s1")], next: 2);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(payment.RefundableAmount, Is.EqualTo(9000m));
            Assert.That(payment.CancelHistory, Is.Empty);
            Assert.That(charge.Outcome, Is.EqualTo(ChargeOutcome.Declined));
            Assert.That(charge.IsReconciled, Is.True);
            Assert.That(charge.Payment, Is.SameAs(payment));
            Assert.That(page.Total, Is.EqualTo(1));
            Assert.That(page.ContinuationToken, Is.EqualTo("2"));
            Assert.That(page.Items[0].MerchantUid, Is.EqualTo("s1"));
        }
    }

    private static void CollectModels(Type type, HashSet<Type> into)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsGenericParameter)
        {
            return;
        }

        if (type.IsGenericType)
        {
            foreach (Type argument in type.GetGenericArguments())
            {
                CollectModels(argument, into);
            }
        }

        Type definition = Definition(type);
        if (definition.Assembly != Library || !definition.IsClass || !into.Add(definition))
        {
            return;
        }

        foreach (PropertyInfo property in definition.GetProperties())
        {
            CollectModels(property.PropertyType, into);
        }
    }

    private static Type Definition(Type type) => type.IsGenericType ? type.GetGenericTypeDefinition() : type;

    private static bool IsGeneric(Type type, Type definition) => type.IsGenericType && type.GetGenericTypeDefinition() == definition;

    private static Type Unwrapped(Type type) =>
        IsGeneric(type, typeof(Task<>)) || IsGeneric(type, typeof(ValueTask<>)) ? type.GetGenericArguments()[0] : type;

    private static bool IsCollection(Type type) =>
        type != typeof(string) && (typeof(System.Collections.IEnumerable).IsAssignableFrom(type)
            || type.GetInterfaces().Append(type).Any(i => IsGeneric(i, typeof(IAsyncEnumerable<>))));

    private static bool Mentions(Type type, Type definition) =>
        IsGeneric(type, definition) || (type.IsGenericType && type.GetGenericArguments().Any(a => Mentions(a, definition)));

    private static bool IsAsync(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var d
            && (d == typeof(Task<>) || d == typeof(ValueTask<>) || d == typeof(IAsyncEnumerable<>) || d == typeof(IamportPageable<>)));
}
