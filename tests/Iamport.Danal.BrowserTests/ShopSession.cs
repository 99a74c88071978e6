using System.Net;
using System.Text.RegularExpressions;
using Iamport.Danal.Samples.Shop.Web;

namespace Iamport.Danal.BrowserTests;

/// <summary>A customer's browser session with the shop, over HTTP: the identity cookie the first visit issues, the
/// page's antiforgery token (sent as a header on every request) and the shop's own <c>Origin</c>. Anything a test
/// posts to the shop as a customer goes through <see cref="Http"/>; redirects are not followed, so tests see them.</summary>
internal sealed partial class ShopSession : IDisposable
{
    private ShopSession(HttpClient http, CookieContainer cookies, string antiforgeryToken)
    {
        Http = http;
        Cookies = cookies;
        AntiforgeryToken = antiforgeryToken;
    }

    /// <summary>The client: base address the shop, customer cookie, antiforgery header and <c>Origin</c> on every request.</summary>
    public HttpClient Http { get; }

    /// <summary>The session's cookies (identity and antiforgery); pass them to another session to be the same customer.</summary>
    public CookieContainer Cookies { get; }

    /// <summary>The antiforgery request token of the page, bound to this customer's identity.</summary>
    public string AntiforgeryToken { get; }

    /// <summary>Opens the shop's page as a browser would (getting, or with <paramref name="cookies"/> keeping, an
    /// identity) and reads the page's antiforgery token.</summary>
    public static async Task<ShopSession> OpenAsync(Uri shop, CookieContainer? cookies = null)
    {
        ArgumentNullException.ThrowIfNull(shop);
        cookies ??= new CookieContainer();
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = shop };
        try
        {
            using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
            page.EnsureSuccessStatusCode();
            string token = TokenIn(await page.Content.ReadAsStringAsync());
            http.DefaultRequestHeaders.Add(ShopSecurity.AntiforgeryHeader, token);
            http.DefaultRequestHeaders.Add("Origin", shop.GetLeftPart(UriPartial.Authority));
            return new ShopSession(http, cookies, token);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>The antiforgery token in a page's forms.</summary>
    public static string TokenIn(string html)
    {
        var match = TokenField().Match(html);
        Assert.That(match.Success, Is.True, "the page carries an antiforgery token in its forms");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>The value of the identity cookie, or <see langword="null"/>.</summary>
    public string? IdentityCookie => Cookies.GetCookies(Http.BaseAddress!)[ShopSecurity.CustomerCookie]?.Value;

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"" + ShopSecurity.AntiforgeryField + "\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
