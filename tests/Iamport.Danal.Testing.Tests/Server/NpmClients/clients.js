// Runs three independent npm I'mport clients against a running fake: node clients.js BASE_URL IMP_KEY IMP_SECRET
// The fake must have billing keys cust_1 (approves) and cust_2 (declines). Exit code 0 when every check passed.
'use strict';

const assert = require('node:assert/strict');

const [base, impKey, impSecret] = process.argv.slice(2);
if (!base || !impKey || !impSecret) {
  console.error('usage: node clients.js BASE_URL IMP_KEY IMP_SECRET');
  process.exit(2);
}
const host = base.replace(/\/+$/, '');
const now = () => Math.floor(Date.now() / 1000);
const calls = [];

function record(client, call) { calls.push(client + ': ' + call); }

// iamporter 1.4.2 (axios): getToken, paySubscription (again), findByImpUid, findByMerchantUid, getSubscription,
// findAllByStatus, cancelByImpUid, findByImpUid of an unknown imp_uid (a 404 it resolves).
async function iamporter() {
  const { Iamporter } = require('iamporter');
  const client = new Iamporter({ apiKey: impKey, secret: impSecret, host });

  const token = await client.getToken();
  assert.match(token.data.access_token, /^[0-9a-f]{40}$/); record('iamporter', 'getToken');

  const paid = await client.paySubscription({ customer_uid: 'cust_1', merchant_uid: 'npm-iamporter-1', amount: 1000, name: 'iamporter' });
  assert.equal(paid.data.status, 'paid'); record('iamporter', 'paySubscription (again)');

  await assert.rejects(client.paySubscription({ customer_uid: 'cust_2', merchant_uid: 'npm-iamporter-2', amount: 1000, name: 'iamporter' }),
    (err) => err.message === '한도초과'); record('iamporter', 'paySubscription declined');

  const byImpUid = await client.findByImpUid(paid.data.imp_uid);
  assert.equal(byImpUid.data.merchant_uid, 'npm-iamporter-1'); record('iamporter', 'findByImpUid');

  const byMerchantUid = await client.findByMerchantUid('npm-iamporter-1');
  assert.equal(byMerchantUid.data.imp_uid, paid.data.imp_uid); record('iamporter', 'findByMerchantUid');

  const key = await client.getSubscription('cust_1');
  assert.equal(key.data.customer_uid, 'cust_1'); record('iamporter', 'getSubscription (billing key)');

  const list = await client.findAllByStatus('paid', { limit: 100 });
  assert.ok(list.data.list.some((p) => p.imp_uid === paid.data.imp_uid)); record('iamporter', 'findAllByStatus');

  const cancelled = await client.cancelByImpUid(paid.data.imp_uid, { reason: 'npm check' });
  assert.equal(cancelled.data.status, 'cancelled'); record('iamporter', 'cancelByImpUid');

  const unknown = await client.findByImpUid('imp_000000000000');
  assert.equal(unknown.status, 404); record('iamporter', 'findByImpUid unknown (404)');
}

// iamport 0.3.4 (request): subscribe.again, payment.getByImpUid, payment.getByMerchant, subscribe_customer.get,
// subscribe.schedule, subscribe.unschedule, payment.getByStatus, payment.cancel.
async function iamportPackage() {
  const Iamport = require('iamport');
  Iamport.DEFAULT_HOST = host;
  const client = new Iamport({ impKey, impSecret });

  const paid = await client.subscribe.again({ customer_uid: 'cust_1', merchant_uid: 'npm-iamport-1', amount: 2000, name: 'iamport' });
  assert.equal(paid.status, 'paid'); record('iamport', 'subscribe.again');

  const byImpUid = await client.payment.getByImpUid({ imp_uid: paid.imp_uid });
  assert.equal(byImpUid.amount, 2000); record('iamport', 'payment.getByImpUid');

  const byMerchant = await client.payment.getByMerchant({ merchant_uid: 'npm-iamport-1' });
  assert.equal(byMerchant.imp_uid, paid.imp_uid); record('iamport', 'payment.getByMerchant');

  const key = await client.subscribe_customer.get({ customer_uid: 'cust_1' });
  assert.equal(key.pg_provider, 'danal_tpay'); record('iamport', 'subscribe_customer.get');

  const at = now() + 3600;
  const scheduled = await client.subscribe.schedule({
    customer_uid: 'cust_1',
    schedules: [{ merchant_uid: 'npm-iamport-s1', schedule_at: at, amount: 3000, name: 'iamport schedule', currency: 'KRW' }],
  });
  assert.equal(scheduled[0].schedule_status, 'scheduled'); record('iamport', 'subscribe.schedule');

  const revoked = await client.subscribe.unschedule({ customer_uid: 'cust_1', merchant_uid: ['npm-iamport-s1'] });
  assert.equal(revoked[0].schedule_status, 'revoked'); record('iamport', 'subscribe.unschedule');

  const byStatus = await client.payment.getByStatus({ payment_status: 'paid' });
  assert.ok(byStatus.list.some((p) => p.imp_uid === paid.imp_uid)); record('iamport', 'payment.getByStatus');

  const cancelled = await client.payment.cancel({ imp_uid: paid.imp_uid, reason: 'npm check' });
  assert.equal(cancelled.status, 'cancelled'); record('iamport', 'payment.cancel');
}

// iamport-rest-client-nodejs 0.9.12 (axios, the official REST client): Subscribe.again, Payments.getByImpUid,
// Payments.getByImpUids (207: what was found, and which were not), Customers.getBillingKey, Customers.getBillingKeys
// (207), Subscribe.schedule, Subscribe.getScheduled, Subscribe.getScheduleds, Customers.getScheduleds,
// Payments.getByStatus, Payments.cancel.
async function restClient() {
  const { Iamport, Request } = require('iamport-rest-client-nodejs');
  const { Subscribe, Payments, Customers } = Request;
  const iamport = new Iamport({ apiKey: impKey, apiSecret: impSecret, baseUrl: host });

  const paid = (await Subscribe.again({ customer_uid: 'cust_1', merchant_uid: 'npm-rest-1', amount: 4000, name: 'rest-client' }).request(iamport)).data.response;
  assert.equal(paid.status, 'paid'); record('rest-client', 'Subscribe.again');

  const one = (await Payments.getByImpUid({ imp_uid: paid.imp_uid }).request(iamport)).data.response;
  assert.equal(one.merchant_uid, 'npm-rest-1'); record('rest-client', 'Payments.getByImpUid');

  const many = await Payments.getByImpUids({ imp_uid: [paid.imp_uid, 'imp_000000000000'] }).request(iamport);
  assert.equal(many.status, 207);
  assert.deepEqual(many.data.response.map((p) => p.imp_uid), [paid.imp_uid]);
  assert.deepEqual(many.data.failed, ['imp_000000000000']); record('rest-client', 'Payments.getByImpUids (207)');

  const key = (await Customers.getBillingKey({ customer_uid: 'cust_1' }).request(iamport)).data.response;
  assert.equal(key.customer_uid, 'cust_1'); record('rest-client', 'Customers.getBillingKey');

  const keys = await Customers.getBillingKeys({ customer_uid: ['cust_1', 'cust_x'] }).request(iamport);
  assert.equal(keys.status, 207);
  assert.deepEqual(keys.data.response.map((k) => k.customer_uid), ['cust_1']); record('rest-client', 'Customers.getBillingKeys (207)');

  const at = now() + 7200;
  const created = (await Subscribe.schedule({
    customer_uid: 'cust_1',
    schedules: [
      { merchant_uid: 'npm-rest-s1', schedule_at: at, amount: 5000, name: 'rest schedule 1', currency: 'KRW' },
      { merchant_uid: 'npm-rest-s2', schedule_at: at + 60, amount: 5000, name: 'rest schedule 2', currency: 'KRW' },
    ],
  }).request(iamport)).data.response;
  assert.equal(created.length, 2); record('rest-client', 'Subscribe.schedule');

  const got = (await Subscribe.getScheduled({ merchant_uid: 'npm-rest-s1' }).request(iamport)).data.response;
  assert.equal(got.schedule_status, 'scheduled'); record('rest-client', 'Subscribe.getScheduled');

  const period = { customer_uid: 'cust_1', from: at, to: at + 60 };
  const list = (await Subscribe.getScheduleds(period).request(iamport)).data.response;
  assert.deepEqual(list.list.map((s) => s.merchant_uid), ['npm-rest-s1'], 'to is exclusive'); record('rest-client', 'Subscribe.getScheduleds');

  const wider = (await Customers.getScheduleds({ ...period, to: at + 61 }).request(iamport)).data.response;
  assert.deepEqual(wider.list.map((s) => s.merchant_uid), ['npm-rest-s2', 'npm-rest-s1'], 'newest first'); record('rest-client', 'Customers.getScheduleds');

  const byStatus = (await Payments.getByStatus({ status: 'paid', limit: 100 }).request(iamport)).data.response;
  assert.ok(byStatus.list.some((p) => p.imp_uid === paid.imp_uid)); record('rest-client', 'Payments.getByStatus');

  const cancelled = (await Payments.cancel({ imp_uid: paid.imp_uid, reason: 'npm check' }).request(iamport)).data.response;
  assert.equal(cancelled.status, 'cancelled'); record('rest-client', 'Payments.cancel');
}

(async () => {
  let failed = false;
  for (const [name, run] of [['iamporter', iamporter], ['iamport', iamportPackage], ['iamport-rest-client-nodejs', restClient]]) {
    try {
      await run();
      console.log('ok ' + name);
    } catch (err) {
      failed = true;
      const detail = err && err.response && err.response.data ? JSON.stringify(err.response.data) : '';
      console.log('FAILED ' + name + ': ' + (err && err.stack ? err.stack : err) + ' ' + detail);
    }
  }
  for (const call of calls) { console.log('  ' + call); }
  process.exit(failed ? 1 : 0);
})();
