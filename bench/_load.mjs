import autocannon from 'autocannon';
let i = 0;
const r = await autocannon({ url: 'http://127.0.0.1:3999/v1/messages/send', connections: 64, duration: 5, method: 'POST',
  headers: { authorization: 'Bearer bk_bench', 'content-type': 'application/json' },
  requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ to: '+39333' + String(1000000 + (i++)), from: 'whatsapp', type: 'text', content: { text: 'Hello!' } }) }) }] });
console.log('req/s', r.requests.average, 'p99', r.latency.p99, 'non2xx', r.non2xx, 'errors', r.errors);
