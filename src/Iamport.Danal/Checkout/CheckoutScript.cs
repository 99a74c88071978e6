using System;
using System.Text;
using System.Text.Encodings.Web;
using Iamport.Danal.Internal;

namespace Iamport.Danal.Checkout;

/// <summary>What the checkout snippet of <see cref="CheckoutFactory.RenderScript"/> does, and the names a page listens to.</summary>
/// <remarks>
/// <para>The snippet loads <c>iamport.js</c>, calls <c>IMP.init(merchantCode)</c> once, or <c>IMP.agency(merchantCode, tier)</c>
/// for a sub-merchant (<see cref="IamportOptions.Tier"/> set), and <c>IMP.request_pay(param, callback)</c> as soon as it
/// runs. Whenever the SDK answers with an <c>imp_uid</c>, whatever <c>error_code</c>, <c>success</c> or
/// <c>imp_success</c> say (PortOne: they do not tell whether a payment happened), it POSTs only
/// <c>{"imp_uid", "merchant_uid"}</c> as JSON to the verify URL: the server reads it with
/// <see cref="UntrustedPaymentHint.FromCallbackJson(string)"/>, verifies with I'mport and is the single judge. Only an
/// answer without <c>imp_uid</c> (no payment was created) ends in the browser, as <see cref="FailedEvent"/> with
/// <c>{error_code, error_msg, merchant_uid}</c>. The page reacts with
/// <c>document.addEventListener("iamport:verified", e =&gt; e.detail ...)</c>.</para>
/// <para>The verify URL's contract: the request is <c>POST</c>, <c>Content-Type: application/json</c>, body
/// <c>{"imp_uid":"…","merchant_uid":"…"}</c>, same-origin credentials. The answer's <b>status</b> decides: any 2xx
/// dispatches <see cref="VerifiedEvent"/>, anything else <see cref="FailedEvent"/>. The answer's body is optional: when
/// it is JSON it becomes the event's <c>detail</c> as it is; an empty or non-JSON body gives <c>{}</c> after a 2xx and
/// <c>{error_code: null, error_msg: "HTTP {status}", merchant_uid}</c> otherwise. A network error dispatches
/// <see cref="FailedEvent"/> with <c>{error_code: null, error_msg, merchant_uid}</c>.</para>
/// <para>Every value is embedded as JSON with HTML-sensitive characters escaped, so it is safe inside the page.</para>
/// </remarks>
public static class CheckoutScript
{
    /// <summary>The address of the current <c>iamport.js</c>.</summary>
    public const string DefaultSdkUrl = "https://cdn.iamport.kr/v1/iamport.js";

    /// <summary>The name of the DOM event dispatched after a 2xx answer of the verify endpoint, with its JSON body (<c>{}</c> when the body is empty or not JSON).</summary>
    public const string VerifiedEvent = "iamport:verified";

    /// <summary>The name of the DOM event dispatched when no payment was created or verification fails.</summary>
    public const string FailedEvent = "iamport:failed";

    private const string TierRule = "Tier must be 3 characters of A-Z and 0-9 (the sub-merchant's tier code).";

    private const string VerifyUrlRule =
        "verifyUrl must be a same-origin path starting with a single '/' or an absolute http(s) URL without user info, with no control character, whitespace or backslash.";

    // With an imp_uid the server decides (error_code/success do not tell whether a payment happened); it gets the two ids only.
    private const string Body = """
        (function (merchantCode, param, verifyUrl, tier) {
          function dispatch(name, detail) { document.dispatchEvent(new CustomEvent(name, { detail: detail })); }
          if (typeof IMP === "undefined") {
            dispatch("iamport:failed", { error_code: null, error_msg: "iamport.js did not load", merchant_uid: param.merchant_uid });
            return;
          }
          if (tier) { IMP.agency(merchantCode, tier); } else { IMP.init(merchantCode); }
          IMP.request_pay(param, function (rsp) {
            rsp = rsp || {};
            var merchantUid = typeof rsp.merchant_uid === "string" && rsp.merchant_uid ? rsp.merchant_uid : param.merchant_uid;
            if (typeof rsp.imp_uid !== "string" || !rsp.imp_uid) {
              dispatch("iamport:failed", { error_code: rsp.error_code || null, error_msg: rsp.error_msg || null, merchant_uid: merchantUid });
              return;
            }
            fetch(verifyUrl, {
              method: "POST",
              credentials: "same-origin",
              headers: { "Content-Type": "application/json" },
              body: JSON.stringify({ imp_uid: rsp.imp_uid, merchant_uid: merchantUid })
            }).then(function (response) {
              return response.text().then(function (text) {
                var answer = null;
                try { answer = text ? JSON.parse(text) : null; } catch (e) { answer = null; }
                if (answer === null || typeof answer !== "object") {
                  answer = response.ok ? {} : { error_code: null, error_msg: "HTTP " + response.status, merchant_uid: merchantUid };
                }
                dispatch(response.ok ? "iamport:verified" : "iamport:failed", answer);
              });
            }).catch(function (error) {
              dispatch("iamport:failed", { error_code: null, error_msg: String(error), merchant_uid: merchantUid });
            });
          });
        })(
        """;

    internal static string Render(RequestPayParams param, string merchantCode, string? tier, string verifyUrl, string? nonce, Uri? sdkUrl)
    {
        Guard.NotNull(param);
        RouteRules.Identifier(merchantCode, nameof(merchantCode), "merchantCode", 40);
        tier = string.IsNullOrEmpty(tier) ? null : tier;
        if (tier is not null && !IsTierCode(tier))
        {
            throw new ArgumentException(TierRule, nameof(tier));
        }

        VerifyUrl(Guard.NotNull(verifyUrl));

        string sdk = sdkUrl?.IsAbsoluteUri == true ? sdkUrl.AbsoluteUri : sdkUrl?.OriginalString ?? DefaultSdkUrl;
        RouteRules.HttpUrl(sdk, nameof(sdkUrl), "sdkUrl");

        string nonceAttribute = nonce is null ? "" : $" nonce=\"{HtmlEncoder.Default.Encode(nonce)}\"";
        return new StringBuilder()
            .Append("<script src=\"").Append(HtmlEncoder.Default.Encode(sdk)).Append('"').Append(nonceAttribute).Append("></script>\n")
            .Append("<script").Append(nonceAttribute).Append(">\n")
            .Append(Body).Append(JsString(merchantCode)).Append(", ").Append(param.ToJson()).Append(", ").Append(JsString(verifyUrl)).Append(tier is null ? "" : ", " + JsString(tier)).Append(");\n")
            .Append("</script>\n")
            .ToString();
    }

    /// <summary>Refuses a verify URL a browser could resolve to another origin than the one written: <c>//host</c>,
    /// <c>/\host</c>, a tab or newline the URL parser drops (<c>/\t/host</c>), <c>javascript:</c> and every other scheme.</summary>
    private static void VerifyUrl(string verifyUrl)
    {
        foreach (char c in verifyUrl)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c == '\\' || char.IsSurrogate(c))
            {
                throw new ArgumentException(VerifyUrlRule, nameof(verifyUrl));
            }
        }

        bool path = verifyUrl.Length > 0 && verifyUrl[0] == '/' && (verifyUrl.Length == 1 || verifyUrl[1] != '/');
        bool absolute = (verifyUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || verifyUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            && Uri.TryCreate(verifyUrl, UriKind.Absolute, out Uri? uri) && uri.Host.Length > 0 && uri.UserInfo.Length == 0;
        if (!path && !absolute)
        {
            throw new ArgumentException(VerifyUrlRule, nameof(verifyUrl));
        }
    }

    /// <summary>A tier code is 3 of A-Z and 0-9 (the schema's <c>tier_code</c>).</summary>
    private static bool IsTierCode(string tier)
    {
        if (tier.Length != 3)
        {
            return false;
        }

        foreach (char c in tier)
        {
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
            {
                return false;
            }
        }

        return true;
    }

    // The same escaping as System.Text.Json's default encoder: <, >, &, quotes, +, and all non-ASCII as \uXXXX.
    private static string JsString(string value) => "\"" + JavaScriptEncoder.Default.Encode(value) + "\"";
}
