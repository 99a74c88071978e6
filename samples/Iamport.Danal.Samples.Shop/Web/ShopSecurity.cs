using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Iamport.Danal.Samples.Shop.Web;

/// <summary>Who may do what, through ASP.NET Core's own parts: the customer is a cookie-authentication identity
/// (signed and encrypted with Data Protection), every state-changing form carries an antiforgery token, the page's
/// JSON posts must come from the shop's own origin, and the admin endpoints need the admin token from configuration.</summary>
/// <remarks>The sample has no sign-in: the first visit issues an anonymous customer identity. A real shop replaces
/// <see cref="IssueCustomerIdentity"/> with its own login (the owner is then its user id) and keeps the rest.</remarks>
public static class ShopSecurity
{
    /// <summary>The customer identity cookie. <c>SameSite=Lax</c>: the mobile Danal window returns to
    /// <c>m_redirect_url</c> by a top-level GET from Danal's site, which must still carry it.</summary>
    public const string CustomerCookie = "shop_customer";

    /// <summary>The authorization policy of the admin endpoints.</summary>
    public const string AdminPolicy = "ShopAdmin";

    /// <summary>The form field (on the page's operator form) that carries the admin token; API clients send
    /// <c>Authorization: Bearer {token}</c> instead.</summary>
    public const string AdminTokenField = "admin_token";

    /// <summary>The hidden form field of the antiforgery token (ASP.NET Core's default name); the header
    /// <see cref="AntiforgeryHeader"/> is accepted too.</summary>
    public const string AntiforgeryField = "__RequestVerificationToken";

    /// <summary>The header that may carry the antiforgery token instead of the form field.</summary>
    public const string AntiforgeryHeader = "RequestVerificationToken";

    private const string AdminScheme = "ShopAdminToken";

    /// <summary>Registers Data Protection, the customer cookie, the admin token scheme and policy, and antiforgery.</summary>
    /// <param name="keysDirectory">Where the Data Protection key ring is kept. Every process of one shop must share
    /// it (a file share, or a database through a key repository), or one process cannot read another's cookies.</param>
    public static void AddShopSecurity(this IServiceCollection services, string keysDirectory)
    {
        services.AddDataProtection()
            .SetApplicationName("Iamport.Danal.Samples.Shop")
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CustomerCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // the quick start is plain http on loopback
                options.Cookie.IsEssential = true;
                options.ExpireTimeSpan = TimeSpan.FromDays(365);
                options.SlidingExpiration = true;

                // No login page: an API call without an identity is answered 401, never redirected.
                options.Events.OnRedirectToLogin = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(AdminScheme, null);

        services.AddAuthorizationBuilder()
            .AddPolicy(AdminPolicy, policy => policy.AddAuthenticationSchemes(AdminScheme).RequireAuthenticatedUser());

        services.AddAntiforgery(options =>
        {
            options.FormFieldName = AntiforgeryField;
            options.HeaderName = AntiforgeryHeader;
        });
    }

    /// <summary>Marks a state-changing form endpoint: antiforgery validation by <c>UseAntiforgery</c>, and refusal
    /// (400) when the token is missing or not the customer's.</summary>
    public static RouteHandlerBuilder RequireShopAntiforgery(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new RequireAntiforgeryTokenAttribute()).AddEndpointFilter(RequireAntiforgery);

    /// <summary>Marks a JSON endpoint the page's script posts to: refused (403) unless the request comes from the
    /// shop's own origin (<see cref="RequireSameOrigin"/>).</summary>
    public static RouteHandlerBuilder RequireShopOrigin(this RouteHandlerBuilder endpoint) =>
        endpoint.AddEndpointFilter(RequireSameOrigin);

    /// <summary>The customer's id (the owner of their subscriptions), from a valid identity cookie only; a forged or
    /// tampered cookie fails Data Protection's check and leaves no identity.</summary>
    public static string? Owner(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.User.Identity is { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme }
            ? http.User.FindFirstValue(ClaimTypes.NameIdentifier)
            : null;
    }

    /// <summary>An endpoint filter for the page: a visitor with no valid identity gets a new one (the sample's stand-in
    /// for a sign-in). The request continues as that identity, so the page's antiforgery tokens are bound to it.</summary>
    public static async ValueTask<object?> IssueCustomerIdentity(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (Owner(http) is null)
        {
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.NameIdentifier, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))],
                CookieAuthenticationDefaults.AuthenticationScheme);
            var principal = new ClaimsPrincipal(identity);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, new AuthenticationProperties { IsPersistent = true });
            http.User = principal;
        }

        return await next(context);
    }

    /// <summary>An endpoint filter for state-changing form posts: the antiforgery middleware has checked the token
    /// (form field or header, bound to the customer's identity), and an invalid or missing one is refused here.</summary>
    public static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);

        // UseAntiforgery validates endpoints marked with RequireAntiforgeryTokenAttribute but only records the result;
        // nothing reads a form here, so the refusal is this filter's. No result at all (middleware missing) is a refusal too.
        return context.HttpContext.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true }
            ? await next(context)
            : Results.Text("요청을 확인할 수 없습니다. 상점 페이지를 새로 고친 뒤 다시 시도해 주세요.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
    }

    /// <summary>An endpoint filter for the page's JSON posts (the checkout's verify callback, the JSON checkout): the
    /// browser's <c>Origin</c> must be the shop's own. Browsers send it on every cross-origin and same-origin POST
    /// made by script, and a page cannot forge it; a request without it (or with <c>Sec-Fetch-Site</c> other than
    /// <c>same-origin</c>) did not come from the shop's page.</summary>
    /// <remarks>Behind a reverse proxy, apply the forwarded-headers middleware so the request's scheme and host are the public ones.</remarks>
    public static async ValueTask<object?> RequireSameOrigin(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.HttpContext.Request;
        string own = request.Scheme + "://" + request.Host.Value;
        string? origin = request.Headers.Origin;
        string? fetchSite = request.Headers["Sec-Fetch-Site"];
        bool sameOrigin = string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            && (string.IsNullOrEmpty(fetchSite) || fetchSite == "same-origin");
        return sameOrigin
            ? await next(context)
            : Results.Json(new { message = "상점 페이지에서 보낸 요청이 아닙니다." }, statusCode: StatusCodes.Status403Forbidden);
    }

    /// <summary>The admin token scheme: <c>Authorization: Bearer {token}</c>, or the operator form's
    /// <see cref="AdminTokenField"/>, compared in constant time with <see cref="ShopOptions.AdminToken"/>. With no
    /// token configured the admin endpoints answer 404: they are off.</summary>
    private sealed class AdminTokenHandler(
        IOptionsMonitor<AuthenticationSchemeOptions> options,
        ILoggerFactory logger,
        UrlEncoder encoder,
        IOptions<ShopOptions> shop)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (string.IsNullOrEmpty(shop.Value.AdminToken))
            {
                return AuthenticateResult.NoResult();
            }

            string? presented = null;
            string authorization = Request.Headers.Authorization.ToString();
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                presented = authorization["Bearer ".Length..].Trim();
            }
            else if (Request.HasFormContentType)
            {
                presented = (await Request.ReadFormAsync(Context.RequestAborted))[AdminTokenField];
            }

            if (string.IsNullOrEmpty(presented))
            {
                return AuthenticateResult.NoResult();
            }

            // Hashing first makes the comparison constant-time whatever the lengths.
            bool valid = CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(presented)),
                SHA256.HashData(Encoding.UTF8.GetBytes(shop.Value.AdminToken)));
            return valid
                ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Role, "admin")], Scheme.Name)), Scheme.Name))
                : AuthenticateResult.Fail("The admin token does not match.");
        }

        protected override Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            if (string.IsNullOrEmpty(shop.Value.AdminToken))
            {
                Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        }
    }
}
