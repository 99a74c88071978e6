/* Fake iamport.js (Iamport.Danal.Testing): IMP.init, IMP.agency and IMP.request_pay with a simulated Danal billing-key window.
   Everything shown comes from textContent, never from HTML strings. Stable ids and data-testid attributes:
   fake-danal-window, fake-danal-card, fake-danal-approve, fake-danal-fail, fake-danal-close, fake-danal-leave,
   fake-danal-status, fake-danal-test-charge. The callback's rsp has the current v1/iamport.js shape (no success or
   imp_success) unless the fake runs with LegacyCallback. Danal answers through the callback on PC and mobile; only a
   mobile page that gives no callback is sent to m_redirect_url instead. */
(function (global) {
  'use strict';

  var script = document.currentScript;
  var base = new URL('/', script && script.src ? script.src : global.location.href).href;
  var cards = /*CARDS*/[];
  var legacy = /*LEGACY*/false;
  var testChargeNotice = /*TEST_CHARGE*/'';
  var merchantCode = null;
  var tier = null;

  function failure(param, code, message) {
    var rsp = {
      imp_uid: null,
      merchant_uid: param && typeof param.merchant_uid === 'string' ? param.merchant_uid : null,
      pay_method: 'card', paid_amount: 0, status: null, pg_provider: 'danal_tpay', pg_type: 'payment',
      error_code: code, error_msg: message
    };
    if (legacy) { rsp.success = false; rsp.imp_success = false; }
    return rsp;
  }

  function validate(param) {
    if (!merchantCode) { return 'IMP.init() 으로 가맹점 식별코드를 먼저 설정해주세요.'; }
    if (!param || typeof param !== 'object') { return '결제 요청 정보가 없습니다.'; }
    var pg = param.pg;
    var hasChannelKey = typeof param.channelKey === 'string' && param.channelKey.length > 0;
    if (hasChannelKey && pg !== undefined) { return 'pg 와 channelKey 중 하나만 지정해야 합니다.'; }
    if (!hasChannelKey && (typeof pg !== 'string' || !(pg === 'danal_tpay' || (pg.indexOf('danal_tpay.') === 0 && pg.length > 11)))) {
      return 'pg 는 danal_tpay 또는 danal_tpay.{CPID} 여야 합니다.';
    }
    if (param.pay_method !== 'card') { return "다날 정기결제는 pay_method 'card'만 지원됩니다."; }
    if (typeof param.merchant_uid !== 'string' || param.merchant_uid.length === 0 || param.merchant_uid.length > 40) {
      return 'merchant_uid 는 필수이며 40자 이하여야 합니다.';
    }
    if (typeof param.customer_uid !== 'string' || param.customer_uid.length === 0 || param.customer_uid.length > 80) {
      return 'customer_uid 는 필수이며 80자 이하여야 합니다.';
    }
    if (typeof param.amount !== 'number' || !(param.amount >= 0)) { return 'amount 는 0 이상의 숫자여야 합니다.'; }
    return null;
  }

  function isMobile() {
    return global.IMP.fakeMobile === true || /Mobi|Android|iPhone|iPad/i.test(global.navigator.userAgent);
  }

  // The query I'mport documents: imp_uid and merchant_uid, error_code and error_msg on failure (imp_success is legacy).
  function finish(param, rsp, callback) {
    if (typeof callback === 'function') { callback(rsp); return; }
    if (param && typeof param.m_redirect_url === 'string' && param.m_redirect_url && isMobile()) {
      var url = new URL(param.m_redirect_url, global.location.href);
      if (rsp.imp_uid) { url.searchParams.set('imp_uid', rsp.imp_uid); }
      if (rsp.merchant_uid) { url.searchParams.set('merchant_uid', rsp.merchant_uid); }
      if (legacy) { url.searchParams.set('imp_success', rsp.error_code ? 'false' : 'true'); }
      if (rsp.error_code) { url.searchParams.set('error_code', rsp.error_code); }
      if (rsp.error_code && rsp.error_msg) { url.searchParams.set('error_msg', rsp.error_msg); }
      global.location.href = url.href;
    }
  }

  function element(tag, id, text) {
    var node = document.createElement(tag);
    if (id) { node.id = id; node.setAttribute('data-testid', id); }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function openWindow(param, callback) {
    var old = document.getElementById('fake-danal-window');
    if (old) { old.parentNode.removeChild(old); }

    var overlay = element('div', 'fake-danal-window');
    overlay.setAttribute('role', 'dialog');
    overlay.setAttribute('aria-modal', 'true');
    overlay.style.cssText = 'position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:2147483647;font-family:sans-serif';
    var box = element('div');
    box.style.cssText = 'background:#fff;border-radius:8px;padding:20px;min-width:320px;max-width:90vw';
    box.appendChild(element('h2', 'fake-danal-title', '다날 신용카드 정기결제 (테스트)'));
    box.appendChild(element('p', 'fake-danal-name', param.name || ''));
    box.appendChild(element('p', 'fake-danal-amount', param.amount === 0 ? '빌링키 발급 (0원)' : String(param.amount) + '원'));
    if (param.amount === 0) { box.appendChild(element('p', 'fake-danal-test-charge', testChargeNotice)); }
    box.appendChild(element('p', 'fake-danal-merchant-uid', param.merchant_uid));

    var label = element('label', null, '테스트 카드 ');
    var select = element('select', 'fake-danal-card');
    for (var i = 0; i < cards.length; i++) {
      var option = element('option', null, cards[i].label + ' ' + cards[i].number);
      option.value = cards[i].number;
      select.appendChild(option);
    }
    label.appendChild(select);
    box.appendChild(label);

    var status = element('p', 'fake-danal-status', '');
    var approve = element('button', 'fake-danal-approve', '결제하기');
    var fail = element('button', 'fake-danal-fail', '실패 처리');
    var close = element('button', 'fake-danal-close', '닫기');
    var leave = element('button', 'fake-danal-leave', '창 떠나기 (응답 없음)');
    var buttons = [approve, fail, close, leave];
    var row = element('div');
    for (var b = 0; b < buttons.length; b++) { buttons[b].type = 'button'; row.appendChild(buttons[b]); }
    box.appendChild(row);
    box.appendChild(status);
    overlay.appendChild(box);
    document.body.appendChild(overlay);

    function submit(action) {
      for (var k = 0; k < buttons.length; k++) { buttons[k].disabled = true; }
      status.textContent = '처리 중...';
      global.fetch(base + 'fake-danal/complete', {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({
          action: action, merchant_code: merchantCode, tier: tier, card_number: select.value, mobile: isMobile(), param: param
        })
      }).then(function (response) { return response.json(); })
        .catch(function () { return failure(param, 'F500', '결제 서버에 연결할 수 없습니다.'); })
        .then(function (rsp) {
          if (overlay.parentNode) { overlay.parentNode.removeChild(overlay); }
          // Leaving the window: the payment stays ready and the page is never called back.
          if (action !== 'leave') { finish(param, rsp, callback); }
        });
    }

    approve.addEventListener('click', function () { submit('approve'); });
    fail.addEventListener('click', function () { submit('fail'); });
    close.addEventListener('click', function () { submit('close'); });
    leave.addEventListener('click', function () { submit('leave'); });
  }

  global.IMP = {
    fakeMobile: false,
    init: function (code) { merchantCode = typeof code === 'string' ? code : null; tier = null; },
    // A sub-merchant's page: the merchant code and its tier code (3 of A-Z, 0-9), recorded on the payment.
    agency: function (code, tierCode) {
      merchantCode = typeof code === 'string' ? code : null;
      tier = typeof tierCode === 'string' ? tierCode : null;
    },
    request_pay: function (param, callback) {
      var error = validate(param);
      if (error) { finish(param || {}, failure(param, 'F400', error), callback); return; }
      openWindow(param, callback);
    }
  };
})(window);
