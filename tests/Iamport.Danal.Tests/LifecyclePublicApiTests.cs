using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace Iamport.Danal.Tests;

/// <summary>What the public API must never offer: key issuance from card data, one-time payments, raw card inputs.</summary>
public class LifecyclePublicApiTests
{
    private static readonly Assembly Library = typeof(IamportClient).Assembly;

    private static readonly Regex RawCardName = new(
        "card_?(number|no|num)|expir|birth|pwd|password|cvc|cvv",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly string[] AllowedKeyMethods =
        ["ChargeBillingKeyAsync", "DeleteBillingKeyAsync", "GetBillingKeyAsync", "GetBillingKeysAsync", "GetPaymentsByCustomerUidAsync", "GetSchedulesByCustomerUidAsync"];

    [Test]
    public void PublicApi_NoMethodIssuesKeysFromCardDataOrPaysOnetime()
    {
        // Checkout builds the browser window's parameters: issuing a key there (IssueKeyOnly) is the one legitimate way.
        MethodBase[] methods = Library.GetExportedTypes()
            .Where(t => t.Namespace != "Iamport.Danal.Checkout")
            .SelectMany(Members).Where(m => !m.IsSpecialName).ToArray();
        string[] keyMethods = typeof(IIamportClient).GetMethods().Select(m => m.Name).Where(n => n.Contains("BillingKey") || n.Contains("Customer")).Order().ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(methods.Select(m => m.Name), Has.None.Match("(?i)onetime|one_time|issue.*(key|customer)|(save|create|add|register)(billingkey|customer|card)"));

            // The only billing-key operations: charge, get (one or several), delete, list payments and schedules. Issuing a key needs Danal's own window.
            Assert.That(keyMethods, Is.EqualTo(AllowedKeyMethods));

            // No route literal anywhere in the library reaches the one-time payment endpoint.
            Assert.That(StringLiterals(), Has.None.Contains("onetime").IgnoreCase);
        }
    }

    [Test]
    public void PublicApi_NoInputTakesRawCardData()
    {
        // Outputs (what I'mport returns through the client, like Payment with its masked card_number) may carry a
        // masked number; inputs — parameters and the settable properties of types passed in — may never carry card data.
        HashSet<Type> outputs = [];
        HashSet<Type> inputs = [];
        foreach (MethodInfo method in typeof(IIamportClient).GetMethods())
        {
            Collect(method.ReturnType, outputs);
        }

        foreach (ParameterInfo parameter in Library.GetExportedTypes().Where(t => t != typeof(IamportModelFactory)).SelectMany(Members).SelectMany(m => m.GetParameters()))
        {
            Collect(parameter.ParameterType, inputs);
        }

        inputs.ExceptWith(outputs);
        // The model factory builds outputs for tests (a masked card_number as I'mport returns it): not an input to I'mport.
        string[] badParameters = Library.GetExportedTypes()
            .Where(t => t != typeof(IamportModelFactory))
            .SelectMany(Members)
            .SelectMany(m => m.GetParameters().Where(p => RawCardName.IsMatch(p.Name!)).Select(p => $"{m.DeclaringType!.Name}.{m.Name}({p.Name})"))
            .ToArray();
        string[] badProperties = inputs
            .SelectMany(t => t.GetProperties().Where(p => p.CanWrite && RawCardName.IsMatch(p.Name)).Select(p => $"{t.Name}.{p.Name}"))
            .ToArray();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(inputs, Is.Not.Empty, "the scan must see the request types");
            Assert.That(inputs.Select(t => t.Name), Does.Contain("CancelPaymentRequest").And.Contain("ScheduleRequest").And.Contain("VerifyPaymentRequest"));
            Assert.That(badParameters, Is.Empty);
            Assert.That(badProperties, Is.Empty);
        }
    }

    [Test]
    public void PublicApi_AsyncMethodsOfLifecycle_EndInAsyncAndTakeCancellationTokenLast()
    {
        MethodInfo[] asyncMethods = typeof(IIamportClient).GetMethods()
            .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType) || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IamportPageable<>)))
            .ToArray();

        Assert.That(asyncMethods, Has.Length.GreaterThanOrEqualTo(16));
        Assert.That(
            asyncMethods.Where(m => !m.Name.EndsWith("Async", StringComparison.Ordinal) || m.GetParameters()[^1] is not { Name: "cancellationToken", HasDefaultValue: true }).Select(m => m.Name),
            Is.Empty);
    }

    private static IEnumerable<MethodBase> Members(Type type) =>
        type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(type.GetConstructors());

    /// <summary>Adds a type and, for the library's own types, the types of its properties and generic arguments.</summary>
    private static void Collect(Type type, HashSet<Type> into)
    {
        type = Nullable.GetUnderlyingType(type) ?? (type.IsByRef ? type.GetElementType()! : type);
        if (type.IsGenericType)
        {
            foreach (Type argument in type.GetGenericArguments())
            {
                Collect(argument, into);
            }
        }

        if (type.IsArray)
        {
            Collect(type.GetElementType()!, into);
        }

        if (type.Assembly != Library || !into.Add(type))
        {
            return;
        }

        foreach (PropertyInfo property in type.GetProperties())
        {
            Collect(property.PropertyType, into);
        }
    }

    private static List<string> StringLiterals()
    {
        using var pe = new PEReader(File.OpenRead(Library.Location));
        MetadataReader metadata = pe.GetMetadataReader();
        var literals = new List<string>();
        for (UserStringHandle handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = metadata.GetNextHandle(handle))
        {
            literals.Add(metadata.GetUserString(handle));
        }

        Assert.That(literals, Has.Some.Contains("/subscribe/payments/again"), "the literal scan must see the routes");
        return literals;
    }
}
