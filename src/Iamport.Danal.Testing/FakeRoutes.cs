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

    /// <summary><c>POST /payments/cancel</c>.</summary>
    public const string Cancel = "POST /payments/cancel";

    /// <summary><c>POST /payments/prepare</c>.</summary>
    public const string Prepare = "POST /payments/prepare";

    /// <summary><c>GET /payments/prepare/{merchant_uid}</c>.</summary>
    public const string GetPrepared = "GET /payments/prepare/{merchant_uid}";

    /// <summary><c>GET /subscribe/customers/{customer_uid}</c>.</summary>
    public const string GetCustomer = "GET /subscribe/customers/{customer_uid}";

    /// <summary><c>DELETE /subscribe/customers/{customer_uid}</c>.</summary>
    public const string DeleteCustomer = "DELETE /subscribe/customers/{customer_uid}";

    /// <summary><c>POST /subscribe/customers/{customer_uid}</c>: refused for Danal.</summary>
    public const string IssueCustomer = "POST /subscribe/customers/{customer_uid}";

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

    /// <summary><c>GET /subscribe/payments/schedule/customers/{customer_uid}</c>.</summary>
    public const string CustomerSchedules = "GET /subscribe/payments/schedule/customers/{customer_uid}";

    /// <summary><c>GET /v1/iamport.js</c>: the fake browser SDK.</summary>
    public const string IamportJs = "GET /v1/iamport.js";

    /// <summary><c>POST /fake-danal/complete</c>: the simulated Danal window reports the buyer's choice.</summary>
    public const string DanalComplete = "POST /fake-danal/complete";

    /// <summary>Any request that matched no route.</summary>
    public const string Unknown = "(unknown)";
}
