using System;
using System.Text;
using System.Text.Encodings.Web;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>Renders the HTML that opens the Danal payment window with <c>iamport.js</c> and sends the result to the shop's server.</summary>
/// <remarks>
/// <para>The snippet loads <c>iamport.js</c>, calls <c>IMP.init(merchantCode)</c> once and <c>IMP.request_pay(param, callback)</c>
/// as soon as it runs. The callback treats <c>rsp.error_code</c>, <c>rsp.success === false</c> or
/// <c>rsp.imp_success === false</c> as failure and dispatches <see cref="FailedEvent"/> on <c>document</c> with
/// <c>{error_code, error_msg, merchant_uid}</c>. Otherwise it POSTs only <c>{"imp_uid", "merchant_uid"}</c> as JSON to the
/// verify URL (read it with <see cref="UntrustedPaymentHint.FromCallbackJson(string)"/> and verify with I'mport) and
/// dispatches <see cref="VerifiedEvent"/> with the server's JSON answer when the response is 2xx, else
/// <see cref="FailedEvent"/>. The page reacts with <c>document.addEventListener("iamport:verified", e =&gt; e.detail ...)</c>.</para>
/// <para>Every value is embedded as JSON with HTML-sensitive characters escaped, so it is safe inside the page.</para>
/// </remarks>
public static class CheckoutScript
{
    /// <summary>The address of the current <c>iamport.js</c>.</summary>
    public const string DefaultSdkUrl = "https://cdn.iamport.kr/v1/iamport.js";

    /// <summary>The name of the DOM event dispatched with the verify endpoint's JSON answer after a 2xx response.</summary>
    public const string VerifiedEvent = "iamport:verified";

    /// <summary>The name of the DOM event dispatched when the window reports a failure or verification fails.</summary>
    public const string FailedEvent = "iamport:failed";

    // The callback sends imp_uid and merchant_uid and nothing else: the server must verify with I'mport, not trust rsp.
    private const string Body = """
        (function (merchantCode, param, verifyUrl) {
          function dispatch(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail: detail })); }
          if (typeof IMP === "undefined") {
            dispatch("iamport:failed", { error_code: null, error_msg: "iamport.js did not load", merchant_uid: param.merchant_uid });
            return;
          }
          IMP.init(merchantCode);
          IMP.request_pay(param, function (rsp) {
            if (rsp.error_code || rsp.success === false || rsp.imp_success === false) {
              dispatch("iamport:failed", { error_code: rsp.error_code || null, error_msg: rsp.error_msg || null, merchant_uid: rsp.merchant_uid || null });
              return;
            }
            fetch(verifyUrl, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ imp_uid: rsp.imp_uid || null, merchant_uid: rsp.merchant_uid })
            }).then(function (response) {
              return response.json().then(function (answer) { dispatch(response.ok ? "iamport:verified" : "iamport:failed", answer); });
            }).catch(function (error) {
              dispatch("iamport:failed", { error_code: null, error_msg: String(error), merchant_uid: rsp.merchant_uid });
            });
          });
        })(
        """;

    /// <summary>Renders two <c>&lt;script&gt;</c> elements that load <c>iamport.js</c> and run the checkout.</summary>
    /// <param name="param">The parameters from <see cref="RequestPayParamsBuilder.Build"/>.</param>
    /// <param name="merchantCode">The merchant code for <c>IMP.init</c> (<c>imp12345678</c>); see <see cref="IamportOptions.MerchantCode"/>.</param>
    /// <param name="verifyUrl">Where the callback POSTs <c>{imp_uid, merchant_uid}</c>: a path such as <c>/checkout/verify</c> or an absolute http(s) URL.</param>
    /// <param name="nonce">The page's CSP nonce, put on both elements; <see langword="null"/> for none.</param>
    /// <param name="sdkUrl">The <c>iamport.js</c> address, absolute http(s); <see langword="null"/> for <see cref="DefaultSdkUrl"/>. A fake I'mport serves its own.</param>
    /// <returns>HTML to place in the page body.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="param"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="merchantCode"/> is missing or not <c>[A-Za-z0-9_-]</c>, or a URL is not allowed.</exception>
    public static string Render(RequestPayParams param, string merchantCode, string verifyUrl, string? nonce = null, Uri? sdkUrl = null)
    {
        Guard.NotNull(param);
        DanalRules.Identifier(merchantCode, nameof(merchantCode), "merchantCode", 40);
        if (!IsRootRelativePath(verifyUrl))
        {
            DanalRules.HttpUrl(Guard.NotNull(verifyUrl), nameof(verifyUrl), "verifyUrl");
        }

        string sdk = sdkUrl?.IsAbsoluteUri == true ? sdkUrl.AbsoluteUri : sdkUrl?.OriginalString ?? DefaultSdkUrl;
        DanalRules.HttpUrl(sdk, nameof(sdkUrl), "sdkUrl");

        string nonceAttribute = nonce is null ? "" : $" nonce=\"{HtmlEncoder.Default.Encode(nonce)}\"";
        return new StringBuilder()
            .Append("<script src=\"").Append(HtmlEncoder.Default.Encode(sdk)).Append('"').Append(nonceAttribute).Append("></script>\n")
            .Append("<script").Append(nonceAttribute).Append(">\n")
            .Append(Body).Append(JsString(merchantCode)).Append(", ").Append(param.ToJson()).Append(", ").Append(JsString(verifyUrl)).Append(");\n")
            .Append("</script>\n")
            .ToString();
    }

    // The same escaping as System.Text.Json's default encoder: <, >, &, quotes, +, and all non-ASCII as \uXXXX.
    private static string JsString(string value) => "\"" + JavaScriptEncoder.Default.Encode(value) + "\"";

    private static bool IsRootRelativePath(string? value) =>
        value is { Length: > 0 } && value[0] == '/' && (value.Length == 1 || (value[1] != '/' && value[1] != '\\'));
}
