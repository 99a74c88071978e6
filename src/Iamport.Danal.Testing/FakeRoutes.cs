namespace Iamport.Danal.Testing;

/// <summary>The names of the fake's routes, used to script faults and to read request counts.</summary>
/// <remarks>A name is the HTTP method and the path template of the I'mport V1 API; an optional trailing
/// <c>/{status}</c> belongs to the same route.</remarks>
public static class FakeRoutes
{
    /// <summary><c>POST /users/getToken</c>.</summary>
    public const string GetToken = "POST /users/getToken";

    /// <summary><c>GET /payments/{imp_uid}</c>.</summary>
    public const string GetPayment = "GET /payments/{imp_uid}";

    /// <summary><c>GET /payments/find/{merchant_uid}[/{status}]</c>.</summary>
    public const string FindPayment = "GET /payments/find/{merchant_uid}";

    /// <summary><c>GET /payments/findAll/{merchant_uid}[/{status}]</c>.</summary>
    public const string FindAllPayments = "GET /payments/findAll/{merchant_uid}";

    /// <summary><c>GET /payments?imp_uid[]=…&amp;merchant_uid[]=…</c>: several payments at once.</summary>
    public const string GetPayments = "GET /payments";

    /// <summary><c>GET /payments/status/{payment_status}</c>: payments by status and period.</summary>
    public const string PaymentsByStatus = "GET /payments/status/{payment_status}";

    /// <summary><c>POST /payments/cancel</c>.</summary>
    public const string Cancel = "POST /payments/cancel";

    /// <summary><c>POST /payments/prepare</c>.</summary>
    public const string Prepare = "POST /payments/prepare";

    /// <summary><c>PUT /payments/prepare</c>: change a registered amount.</summary>
    public const string UpdatePrepared = "PUT /payments/prepare";

    /// <summary><c>GET /payments/prepare/{merchant_uid}</c>.</summary>
    public const string GetPrepared = "GET /payments/prepare/{merchant_uid}";

    /// <summary><c>GET /subscribe/customers/{customer_uid}</c>.</summary>
    public const string GetCustomer = "GET /subscribe/customers/{customer_uid}";

    /// <summary><c>DELETE /subscribe/customers/{customer_uid}</c>.</summary>
    public const string DeleteCustomer = "DELETE /subscribe/customers/{customer_uid}";

    /// <summary><c>POST /subscribe/customers/{customer_uid}</c>: refused for Danal.</summary>
    public const string IssueCustomer = "POST /subscribe/customers/{customer_uid}";

    /// <summary><c>GET /subscribe/customers?customer_uid[]=…</c>: several billing keys at once.</summary>
    public const string GetCustomers = "GET /subscribe/customers";

    /// <summary><c>GET /subscribe/customers/{customer_uid}/schedules</c>: the same list as <see cref="CustomerSchedules"/>.</summary>
    public const string CustomerSchedulesOfKey = "GET /subscribe/customers/{customer_uid}/schedules";

    /// <summary><c>GET /subscribe/customers/{customer_uid}/payments</c>.</summary>
    public const string CustomerPayments = "GET /subscribe/customers/{customer_uid}/payments";

    /// <summary><c>POST /subscribe/payments/again</c>: charge a billing key.</summary>
    public const string Again = "POST /subscribe/payments/again";

    /// <summary><c>POST /subscribe/payments/onetime</c>: refused for Danal.</summary>
    public const string Onetime = "POST /subscribe/payments/onetime";

    /// <summary><c>POST /subscribe/payments/schedule</c>.</summary>
    public const string Schedule = "POST /subscribe/payments/schedule";

    /// <summary><c>POST /subscribe/payments/unschedule</c>.</summary>
    public const string Unschedule = "POST /subscribe/payments/unschedule";

    /// <summary><c>GET /subscribe/payments/schedule/{merchant_uid}</c>.</summary>
    public const string GetSchedule = "GET /subscribe/payments/schedule/{merchant_uid}";

    /// <summary><c>GET /subscribe/payments/schedule</c>: the merchant's schedules in a period.</summary>
    public const string ListSchedules = "GET /subscribe/payments/schedule";

    /// <summary><c>PUT /subscribe/payments/schedule/{merchant_uid}</c>: move a pending schedule.</summary>
    public const string UpdateSchedule = "PUT /subscribe/payments/schedule/{merchant_uid}";

    /// <summary><c>POST /subscribe/payments/schedule/{merchant_uid}/reschedule</c>: schedule a failed or revoked one again.</summary>
    public const string Reschedule = "POST /subscribe/payments/schedule/{merchant_uid}/reschedule";

    /// <summary><c>POST /subscribe/payments/schedule/{merchant_uid}/retry</c>: run a failed or revoked one now.</summary>
    public const string RetrySchedule = "POST /subscribe/payments/schedule/{merchant_uid}/retry";

    /// <summary><c>GET /subscribe/payments/schedule/customers/{customer_uid}</c>.</summary>
    public const string CustomerSchedules = "GET /subscribe/payments/schedule/customers/{customer_uid}";

    /// <summary><c>GET /v1/iamport.js</c>: the fake browser SDK.</summary>
    public const string IamportJs = "GET /v1/iamport.js";

    /// <summary><c>POST /fake-danal/complete</c>: the simulated Danal window reports the buyer's choice.</summary>
    public const string DanalComplete = "POST /fake-danal/complete";

    /// <summary>The webhooks the fake sends (not a route it serves): the name under which webhook faults
    /// (<see cref="Fault.LoseWebhook"/>, <see cref="Fault.DuplicateWebhook"/>, <see cref="Fault.DelayWebhook"/>,
    /// <see cref="Fault.ReorderWebhook"/>) are scripted and reported.</summary>
    public const string Webhook = "(webhook)";

    /// <summary>Any request that matched no route.</summary>
    public const string Unknown = "(unknown)";
}
