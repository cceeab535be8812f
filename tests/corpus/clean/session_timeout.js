/* clean test file: idle-session warning; after a timeout it sends the user
   to this site's own login page (same-origin, relative URL) - a legitimate
   setTimeout + window.location pattern. */
(function () {
    'use strict';
    var IDLE_MS = 15 * 60 * 1000;
    var WARN_MS = 60 * 1000;
    var timer, warnTimer;

    function logout() {
        window.location.href = '/login?reason=timeout&next=' + encodeURIComponent(location.pathname);
    }

    function warn() {
        var box = document.getElementById('session-warning');
        if (box) {
            box.hidden = false;
        }
        timer = setTimeout(logout, WARN_MS);
    }

    function reset() {
        clearTimeout(timer);
        clearTimeout(warnTimer);
        var box = document.getElementById('session-warning');
        if (box) {
            box.hidden = true;
        }
        warnTimer = setTimeout(warn, IDLE_MS - WARN_MS);
    }

    ['mousemove', 'keydown', 'scroll', 'touchstart'].forEach(function (ev) {
        document.addEventListener(ev, reset, { passive: true });
    });
    reset();
})();
