using System.Collections.Generic;
using System.Linq;
using Iamport.Danal.Testing.Http;
using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Billing keys (<c>/subscribe/customers</c>) and charging one (<c>/subscribe/payments/again</c>).</summary>
internal static class BillingKeyRoutes
{
    public const string NotSupportedForDanal = "다날은 API 를 통한 비인증 결제를 지원하지 않습니다.";
    public const string UnknownCustomer = "등록된 고객정보가 없습니다.";

    public static IEnumerable<Route> All =>
    [
        new(FakeRoutes.Again, "POST", "/subscribe/payments/again", true, Again),
        new(FakeRoutes.Onetime, "POST", "/subscribe/payments/onetime", true, _ => RouteContext.Refused(NotSupportedForDanal)),
        new(FakeRoutes.CustomerPayments, "GET", "/subscribe/customers/{customer_uid}/payments", true, CustomerPayments),
        new(FakeRoutes.CustomerSchedulesOfKey, "GET", "/subscribe/customers/{customer_uid}/schedules", true, ScheduleRoutes.CustomerSchedules),
        new(FakeRoutes.GetCustomers, "GET", "/subscribe/customers", true, GetMany),
        new(FakeRoutes.GetCustomer, "GET", "/subscribe/customers/{customer_uid}", true, GetCustomer),
        new(FakeRoutes.DeleteCustomer, "DELETE", "/subscribe/customers/{customer_uid}", true, DeleteCustomer),
        new(FakeRoutes.IssueCustomer, "POST", "/subscribe/customers/{customer_uid}", true, _ => RouteContext.Refused(NotSupportedForDanal)),
    ];

    private static string CustomerNotFound(string customerUid) =>
        "요청하신 customer_uid(" + customerUid + ")로 등록된 정보를 찾을 수 없습니다.";

    private static FakeResponse GetCustomer(RouteContext context)
    {
        var customerUid = context.Param("customer_uid");
        return context.State.Customers.TryGetValue(customerUid, out var customer)
            ? FakeResponse.Ok(FakeJsonContext.ToNode(customer))
            : context.NotFound(CustomerNotFound(customerUid), asHttp200: true);
    }

    /// <summary><c>GET /subscribe/customers?customer_uid[]=…</c>: HTTP 200 when all are found, 207 with those found when
    /// some are not, 404 when none is.</summary>
    private static FakeResponse GetMany(RouteContext context)
    {
        var customerUids = context.QueryValues("customer_uid[]").Concat(context.QueryValues("customer_uid")).Distinct(System.StringComparer.Ordinal).ToList();
        if (customerUids.Count == 0)
        {
            return RouteContext.Missing("customer_uid[]");
        }

        var found = customerUids.Select(id => context.State.Customers.GetValueOrDefault(id)).OfType<CustomerRecord>().ToList();
        if (found.Count == 0)
        {
            return context.NotFound("요청하신 customer_uid 로 등록된 정보를 찾을 수 없습니다.");
        }

        var body = new System.Text.Json.Nodes.JsonArray([.. found.Select(FakeJsonContext.ToNode)]);
        return found.Count < customerUids.Count
            ? FakeResponse.Envelope(207, 0, "요청하신 customer_uid 중 일부의 빌링키 정보를 찾을 수 없습니다.", body)
            : FakeResponse.Ok(body);
    }

    private static FakeResponse DeleteCustomer(RouteContext context)
    {
        var customerUid = context.Param("customer_uid");
        if (!context.State.Customers.Remove(customerUid, out var customer))
        {
            return context.NotFound(CustomerNotFound(customerUid));
        }

        context.State.PendingDeclines.Remove(customerUid);
        return FakeResponse.Ok(FakeJsonContext.ToNode(customer));
    }

    private static FakeResponse CustomerPayments(RouteContext context)
    {
        var customerUid = context.Param("customer_uid");
        var payments = Charges.Sort(context.State.PaymentsOfCustomer(customerUid), "-started");
        if (payments.Length == 0 && !context.State.Customers.ContainsKey(customerUid))
        {
            return context.NotFound(CustomerNotFound(customerUid));
        }

        return FakeResponse.Ok(RouteContext.Page(payments, context.QueryInt("page", 1), 20, FakeJsonContext.ToNode));
    }

    private static FakeResponse Again(RouteContext context)
    {
        var body = context.Body;
        if (body is null)
        {
            return RouteContext.BadRequest(RouteContext.UnreadableBody);
        }

        var customerUid = body.String("customer_uid");
        var merchantUid = body.String("merchant_uid");
        var amount = body.Decimal("amount");
        var name = body.String("name");
        if (string.IsNullOrEmpty(customerUid))
        {
            return RouteContext.BadRequest("customer_uid 파라미터가 누락되었습니다.");
        }

        if (string.IsNullOrEmpty(merchantUid) || merchantUid.Length > 40)
        {
            return RouteContext.BadRequest("merchant_uid 파라미터가 누락되었거나 40자를 초과합니다.");
        }

        if (amount is null || amount <= 0)
        {
            return RouteContext.BadRequest("amount 는 0 보다 큰 숫자여야 합니다.");
        }

        if (string.IsNullOrEmpty(name))
        {
            return RouteContext.BadRequest("다날 정기결제는 name 파라미터가 필수입니다.");
        }

        var state = context.State;
        if (!state.Customers.TryGetValue(customerUid, out var customer))
        {
            return RouteContext.Refused(UnknownCustomer, code: -1);
        }

        if (!state.Options.ChargePaidMerchantUidAgain && Charges.IsMerchantUidSpent(state, merchantUid))
        {
            return RouteContext.Refused(Charges.DuplicateMerchantUid);
        }

        var input = ChargeInput.FromBody(body, merchantUid, amount.Value, "api", "payment") with { UserAgent = null };
        if (input.CardQuota > 1 && input.Amount < 50_000)
        {
            return RouteContext.Refused("5만원 미만 결제는 할부가 불가능합니다.");
        }

        var payment = Charges.Charge(state, customer, input);
        if (payment.Status == "paid")
        {
            // Never for a failed immediate payment: only approvals of `again` are notified.
            Charges.QueueWebhook(state, payment, context.Webhooks);
        }

        return FakeResponse.Ok(FakeJsonContext.ToNode(payment));
    }
}
