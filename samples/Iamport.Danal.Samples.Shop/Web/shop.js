/* The page's checkout logic: ask the server for the IMP.request_pay object, open the window, and send the
   callback's {imp_uid, merchant_uid} (and nothing else) back to the server, which verifies with I'mport. */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('shop-config').textContent);
  var message = document.getElementById('message');

  function show(text, kind) {
    message.textContent = text; // text, never HTML
    message.setAttribute('data-kind', kind);
  }

  function postJson(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (json) { return { ok: response.ok, body: json }; });
    });
  }

  function failed(rsp) {
    // The SDK's rule: error_code present, or the legacy success / imp_success flag false, means failure.
    return !rsp || rsp.error_code || rsp.success === false || rsp.imp_success === false;
  }

  function checkout(kind) {
    show(config.productName + ': opening the Danal window...', 'info');
    postJson(config.checkoutUrl, { kind: kind }).then(function (start) {
      if (!start.ok) { show(start.body.message || 'Could not start the checkout.', 'error'); return; }
      window.IMP.init(start.body.merchantCode);
      window.IMP.request_pay(start.body.params, function (rsp) {
        if (failed(rsp)) {
          show('Payment failed: ' + (rsp && (rsp.error_msg || rsp.error_code) || 'unknown error'), 'error');
          return;
        }
        show('Verifying with the server...', 'info');
        postJson(config.verifyUrl, { imp_uid: rsp.imp_uid, merchant_uid: rsp.merchant_uid }).then(function (verdict) {
          if (verdict.ok && verdict.body.activated) {
            window.location.assign('/?notice=' + (kind === 'subscribe' ? 'paid' : 'activated'));
          } else {
            show('Not activated: ' + verdict.body.message, 'error');
          }
        });
      });
    }).catch(function () { show('The shop could not be reached.', 'error'); });
  }

  document.getElementById('register-card').addEventListener('click', function () { checkout('register'); });
  document.getElementById('subscribe-now').addEventListener('click', function () { checkout('subscribe'); });
})();
