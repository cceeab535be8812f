<?php
/**
 * clean test file: hides e-mail addresses from harvesters. Uses str_rot13()
 * and character-entity encoding (like WordPress antispambot()), and a small
 * inline script that un-rot13s the address in the browser. The decoded data
 * is an e-mail address shown to the visitor, not code.
 */

function obfuscate_email(string $email): string
{
    $out = '';
    foreach (str_split($email) as $i => $ch) {
        $out .= ($i % 2) ? '&#' . ord($ch) . ';' : '&#x' . dechex(ord($ch)) . ';';
    }
    return $out;
}

function rot13_mailto(string $email, string $label): string
{
    $enc = htmlspecialchars(str_rot13($email), ENT_QUOTES);
    return '<a class="js-rot13" data-r="' . $enc . '" href="#">' . htmlspecialchars($label) . '</a>'
        . '<script>document.querySelectorAll(".js-rot13").forEach(function(a){var s=a.getAttribute("data-r").replace(/[a-z]/gi,function(c){var b=c<="Z"?65:97;return String.fromCharCode((c.charCodeAt(0)-b+13)%26+b)});a.href="mailto:"+s;});</script>';
}

echo '<p>Write to ' . obfuscate_email('office@example.com') . '</p>';
echo rot13_mailto('sales@example.com', 'our sales team');
