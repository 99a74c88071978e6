/* The checkout page's reaction to the library's snippet (Iamport.Danal.Checkout.CheckoutScript), which opens the Danal
   window, posts {imp_uid, merchant_uid} to the verify endpoint and reports the outcome as DOM events. */
(function () {
  'use strict';

  var message = document.getElementById('message');

  function show(text, kind) {
    message.textContent = text; // text, never HTML
    message.setAttribute('data-kind', kind);
  }

  // The server verified the payment with I'mport and activated the subscription.
  document.addEventListener('iamport:verified', function (event) {
    var known = { activated: true, paid: true, 'card-changed': true };
    var notice = event.detail && known[event.detail.notice] === true ? event.detail.notice : 'activated';
    window.location.assign('/?notice=' + notice);
  });

  // The window reported a failure (declined, closed, ...) or the server refused to verify.
  document.addEventListener('iamport:failed', function (event) {
    var detail = event.detail || {};
    show('결제 실패: ' + (detail.error_msg || detail.message || detail.error_code || '알 수 없는 오류'), 'error');
  });
})();
