// Runs the inline script of a CheckoutFactory.RenderScript snippet (path in argv[2]) against stub IMP, fetch and document,
// once per scenario, and prints one JSON line per scenario: what was initialised, posted and dispatched.
const html = require('fs').readFileSync(process.argv[2], 'utf8');
const body = html.match(/<script[^>]*>\n([\s\S]*)<\/script>\n$/)[1];

async function run(label, rsp, server, withImp = true) {
  const events = [];
  const seen = { inits: [], agencies: [], posted: null };
  const ctx = {
    document: { dispatchEvent: e => events.push([e.type, e.detail]) },
    CustomEvent: function (type, init) { this.type = type; this.detail = init.detail; },
    IMP: { init: code => seen.inits.push(code), agency: (code, tier) => seen.agencies.push([code, tier]), request_pay: (param, callback) => { seen.param = param; callback(rsp); } },
    fetch: async (url, options) => {
      seen.posted = { url, method: options.method, body: JSON.parse(options.body) };
      if (server === 'throw') throw new Error('offline');
      const text = typeof server.raw === 'string' ? server.raw : JSON.stringify(server.body);
      return { ok: server.ok, status: server.status || (server.ok ? 200 : 400), text: async () => text };
    },
  };
  if (!withImp) delete ctx.IMP;
  new Function(...Object.keys(ctx), body)(...Object.values(ctx));
  await new Promise(resolve => setTimeout(resolve, 10));
  console.log(JSON.stringify({ label, ...seen, events }));
}

(async () => {
  await run('success', { imp_uid: 'imp_1', merchant_uid: 'm_1', paid_amount: 9900, status: 'paid', custom_data: 'x' }, { ok: true, body: { verified: true } });
  await run('rejected', { imp_uid: 'imp_1', merchant_uid: 'm_1', success: true }, { ok: false, body: { error: 'amount mismatch' } });
  await run('error_code', { imp_uid: null, merchant_uid: 'm_1', error_code: 'F400', error_msg: 'cancelled' }, { ok: true, body: {} });
  await run('imp_uid_error_code', { imp_uid: 'imp_1', merchant_uid: 'm_1', error_code: 'F400', error_msg: 'cancelled' }, { ok: true, body: { verified: true } });
  await run('success_false', { imp_uid: 'imp_1', merchant_uid: 'm_1', success: false }, { ok: true, body: { verified: true } });
  await run('imp_success_false', { imp_uid: 'imp_1', merchant_uid: 'm_1', imp_success: false }, { ok: true, body: { verified: true } });
  await run('imp_uid_only', { imp_uid: 'imp_1' }, { ok: true, body: { verified: true } });
  await run('offline', { imp_uid: 'imp_1', merchant_uid: 'm_1' }, 'throw');
  await run('no_sdk', {}, { ok: true, body: {} }, false);
  await run('empty_200', { imp_uid: 'imp_1', merchant_uid: 'm_1' }, { ok: true, status: 200, raw: '' });
  await run('empty_204', { imp_uid: 'imp_1', merchant_uid: 'm_1' }, { ok: true, status: 204, raw: '' });
  await run('text_200', { imp_uid: 'imp_1', merchant_uid: 'm_1' }, { ok: true, status: 200, raw: 'OK' });
  await run('html_500', { imp_uid: 'imp_1', merchant_uid: 'm_1' }, { ok: false, status: 500, raw: '<html>oops</html>' });
  await run('empty_400', { imp_uid: 'imp_1', merchant_uid: 'm_1' }, { ok: false, status: 400, raw: '' });
})();
