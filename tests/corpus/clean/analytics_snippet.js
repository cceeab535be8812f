/* clean test file: standard analytics loader - createElement('script') with
   a well-known analytics URL, async, consent-aware. */
(function (w, d, id) {
    if (w.localStorage && w.localStorage.getItem('analytics-consent') !== 'granted') {
        return;
    }
    w.dataLayer = w.dataLayer || [];
    function gtag() { w.dataLayer.push(arguments); }
    w.gtag = gtag;
    var s = d.createElement('script');
    s.async = true;
    s.src = 'https://www.googletagmanager.com/gtag/js?id=' + encodeURIComponent(id);
    var first = d.getElementsByTagName('script')[0];
    first.parentNode.insertBefore(s, first);
    gtag('js', new Date());
    gtag('config', id, { anonymize_ip: true });
})(window, document, 'G-EXAMPLE123');
