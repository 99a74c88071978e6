using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Iamport.Danal.Testing;

namespace Iamport.Danal.Testing.Tests.Browser;

/// <summary>The fake iamport.js in a real headless Chromium, when one is installed (otherwise ignored).</summary>
[Parallelizable(ParallelScope.Self)]
public partial class BrowserSmokeTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Test]
    [CancelAfter(60_000)]
    public async Task RequestPay_ApproveInSimulatedWindow_CallbackGetsRspAndKeyIsIssued(CancellationToken cancellationToken)
    {
        if (!File.Exists(Chromium))
        {
            Assert.Ignore("No Chromium at " + Chromium + ".");
        }

        await using var fake = new FakeIamport();
        var baseAddress = await fake.StartAsync(cancellationToken: cancellationToken);
        var script = new Uri(baseAddress, "v1/iamport.js");
        var page = Path.Combine(Path.GetTempPath(), "fake-danal-" + Guid.NewGuid().ToString("N") + ".html");

        // The shop page: the buyer picks the check card and approves; a second request is closed by the buyer.
        await File.WriteAllTextAsync(page, $$"""
            <!DOCTYPE html><html><body><pre id="out"></pre><pre id="closed"></pre>
            <script src="{{script}}"></script>
            <script>
              IMP.init('imp00000000');
              IMP.request_pay({ pg: 'danal_tpay', pay_method: 'card', merchant_uid: 'issue-1', customer_uid: 'cust_web',
                                name: '<' + '/script>구독', amount: 0, buyer_tel: '010-1234-5678' }, function (rsp) {
                document.getElementById('out').textContent = JSON.stringify(rsp);
                IMP.request_pay({ pg: 'danal_tpay', pay_method: 'card', merchant_uid: 'issue-2', customer_uid: 'cust_web2', amount: 0 },
                  function (closed) { document.getElementById('closed').textContent = JSON.stringify(closed); });
                document.getElementById('fake-danal-close').click();
              });
              document.getElementById('fake-danal-card').value = '{{TestCards.ApproveCheckCard}}';
              document.getElementById('fake-danal-approve').click();
            </script></body></html>
            """, cancellationToken);
        try
        {
            var dom = await DumpDomAsync(new Uri(page).AbsoluteUri, cancellationToken);
            var rsp = JsonNode.Parse(WebUtility.HtmlDecode(OutRegex().Match(dom).Groups[1].Value))!;
            var closed = JsonNode.Parse(WebUtility.HtmlDecode(ClosedRegex().Match(dom).Groups[1].Value))!;

            using (Assert.EnterMultipleScope())
            {
                Assert.That(rsp["error_code"], Is.Null, dom);
                Assert.That(rsp.AsObject().ContainsKey("success"), Is.False, "the current v1/iamport.js shape");
                Assert.That((string)rsp["imp_uid"]!, Does.Match("^imp_[0-9]{12}$"));
                Assert.That((string)rsp["card_name"]!, Is.EqualTo("KB국민카드"));
                Assert.That(fake.HasBillingKey("cust_web"), Is.True);
                Assert.That((string)closed["error_code"]!, Is.EqualTo("F400"), "a user cancel; F1002 is an already-paid merchant_uid");
                Assert.That((string)closed["imp_uid"]!, Does.StartWith("imp_"), "closing leaves a failed payment with an imp_uid");
                Assert.That((string)closed["error_msg"]!, Is.EqualTo("사용자가 결제를 취소하셨습니다"));
                Assert.That(fake.HasBillingKey("cust_web2"), Is.False);
            }
        }
        finally
        {
            File.Delete(page);
        }
    }

    private static async Task<string> DumpDomAsync(string url, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom", url })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            var dom = await process.StandardOutput.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            await stderr;
            return dom;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [GeneratedRegex("<pre id=\"out\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex OutRegex();

    [GeneratedRegex("<pre id=\"closed\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ClosedRegex();
}
