using System.Collections.Generic;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Iamport.Danal.Testing.Hosting;
using Iamport.Danal.Testing.State;

namespace Iamport.Danal.Testing.Routes;

/// <summary>Billing keys (<c>/subscribe/customers</c>) and charging one (<c>/subscribe/payments/again</c>).</summary>
internal static class BillingKeyRoutes
{
    public const string NotSupportedForDanal = "다날은 API 를 통한 비인증 결제를 지원하지 않습니다.";
    public const string UnknownCustomer = "등록된 고객정보가 없습니다.";

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/subscribe/payments/again", Pipeline.Serve(Again)).WithName(FakeRoutes.Again);
        api.MapPost("/subscribe/payments/onetime", Pipeline.Serve(_ => Call.Refused(NotSupportedForDanal))).WithName(FakeRoutes.Onetime);
        api.MapGet("/subscribe/customers/{customer_uid}/payments", Pipeline.Serve(CustomerPayments)).WithName(FakeRoutes.CustomerPayments);
        api.MapGet("/subscribe/customers/{customer_uid}/schedules", Pipeline.Serve(ScheduleRoutes.CustomerSchedules)).WithName(FakeRoutes.CustomerSchedulesOfKey);
        api.MapGet("/subscribe/customers", Pipeline.Serve(GetMany)).WithName(FakeRoutes.GetCustomers);
        api.MapGet("/subscribe/customers/{customer_uid}", Pipeline.Serve(GetCustomer)).WithName(FakeRoutes.GetCustomer);
        api.MapDelete("/subscribe/customers/{customer_uid}", Pipeline.Serve(DeleteCustomer)).WithName(FakeRoutes.DeleteCustomer);
        api.MapPost("/subscribe/customers/{customer_uid}", Pipeline.Serve(_ => Call.Refused(NotSupportedForDanal))).WithName(FakeRoutes.IssueCustomer);
    }

    private static string CustomerNotFound(string customerUid) =>
        "요청하신 customer_uid(" + customerUid + ")로 등록된 정보를 찾을 수 없습니다.";

    private static IResult GetCustomer(Call context)
    {
        var customerUid = context.Param("customer_uid");
        return context.State.Customers.TryGetValue(customerUid, out var customer)
            ? Answer.Ok(FakeJsonContext.ToNode(customer))
            : context.NotFound(CustomerNotFound(customerUid), asHttp200: true);
    }

    /// <summary><c>GET /subscribe/customers?customer_uid[]=…</c>: HTTP 200 when all are found, 207 with those found when
    /// some are not, 404 when none is.</summary>
    private static IResult GetMany(Call context)
    {
        var customerUids = context.QueryValues("customer_uid[]").Concat(context.QueryValues("customer_uid")).Distinct(System.StringComparer.Ordinal).ToList();
        if (customerUids.Count == 0)
        {
            return Call.Missing("customer_uid[]");
        }

        var found = customerUids.Select(id => context.State.Customers.GetValueOrDefault(id)).OfType<CustomerRecord>().ToList();
        if (found.Count == 0)
        {
            return context.NotFound("요청하신 customer_uid 로 등록된 정보를 찾을 수 없습니다.");
        }

        var body = new System.Text.Json.Nodes.JsonArray([.. found.Select(FakeJsonContext.ToNode)]);
        return found.Count < customerUids.Count
            ? Answer.Envelope(207, 0, "요청하신 customer_uid 중 일부의 빌링키 정보를 찾을 수 없습니다.", body)
            : Answer.Ok(body);
    }

    private static IResult DeleteCustomer(Call context)
    {
        var customerUid = context.Param("customer_uid");
        if (!context.State.Customers.Remove(customerUid, out var customer))
        {
            return context.NotFound(CustomerNotFound(customerUid));
        }

        context.State.PendingDeclines.Remove(customerUid);
        return Answer.Ok(FakeJsonContext.ToNode(customer));
    }

    private static IResult CustomerPayments(Call context)
    {
        var customerUid = context.Param("customer_uid");
        var payments = Charges.Sort(context.State.PaymentsOfCustomer(customerUid), "-started");
        if (payments.Length == 0 && !context.State.Customers.ContainsKey(customerUid))
        {
            return context.NotFound(CustomerNotFound(customerUid));
        }

        return Answer.Ok(Call.Page(payments, context.QueryInt("page", 1), 20, FakeJsonContext.ToNode));
    }

    private static IResult Again(Call context)
    {
        var body = context.Body;
        if (body is null)
        {
            return Call.BadRequest(Call.UnreadableBody);
        }

        var customerUid = body.String("customer_uid");
        var merchantUid = body.String("merchant_uid");
        var amount = body.Decimal("amount");
        var name = body.String("name");
        if (string.IsNullOrEmpty(customerUid))
        {
            return Call.BadRequest("customer_uid 파라미터가 누락되었습니다.");
        }

        if (string.IsNullOrEmpty(merchantUid) || merchantUid.Length > 40)
        {
            return Call.BadRequest("merchant_uid 파라미터가 누락되었거나 40자를 초과합니다.");
        }

        if (amount is null || amount <= 0)
        {
            return Call.BadRequest("amount 는 0 보다 큰 숫자여야 합니다.");
        }

        if (string.IsNullOrEmpty(name))
        {
            return Call.BadRequest("다날 정기결제는 name 파라미터가 필수입니다.");
        }

        var state = context.State;
        if (!state.Customers.TryGetValue(customerUid, out var customer))
        {
            return Call.Refused(UnknownCustomer, code: -1);
        }

        if (!state.Options.ChargePaidMerchantUidAgain && Charges.IsMerchantUidSpent(state, merchantUid))
        {
            return Call.Refused(Charges.DuplicateMerchantUid);
        }

        var input = ChargeInput.FromBody(body, merchantUid, amount.Value, "api", "payment") with { UserAgent = null };
        if (Charges.InstallmentRefusal(input) is { } installments)
        {
            return Call.Refused(installments);
        }

        var payment = Charges.Charge(state, customer, input);
        if (payment.Status == "paid")
        {
            // Never for a failed immediate payment: only approvals of `again` are notified.
            Charges.QueueWebhook(state, payment, context.Webhooks);
        }

        return Answer.Ok(FakeJsonContext.ToNode(payment));
    }
}
