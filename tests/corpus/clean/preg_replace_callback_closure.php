<?php
/**
 * clean test file: preg_replace_callback() with closures (shortcodes,
 * placeholders, slug generation). The callback is code, the request only
 * supplies data that is escaped.
 */

function render_placeholders(string $template, array $vars): string
{
    return preg_replace_callback('/\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/i', function (array $m) use ($vars): string {
        return htmlspecialchars((string) ($vars[$m[1]] ?? ''), ENT_QUOTES, 'UTF-8');
    }, $template);
}

function expand_shortcodes(string $content): string
{
    $handlers = [
        'year' => static fn (array $a): string => date('Y'),
        'button' => static fn (array $a): string => sprintf(
            '<a class="btn" href="%s">%s</a>',
            htmlspecialchars($a['url'] ?? '#', ENT_QUOTES),
            htmlspecialchars($a['label'] ?? 'Click', ENT_QUOTES)
        ),
    ];
    return preg_replace_callback('/\[(\w+)((?:\s+\w+="[^"]*")*)\s*\]/', static function (array $m) use ($handlers): string {
        if (!isset($handlers[$m[1]])) {
            return $m[0];
        }
        preg_match_all('/(\w+)="([^"]*)"/', $m[2], $pairs, PREG_SET_ORDER);
        $attrs = [];
        foreach ($pairs as $p) {
            $attrs[$p[1]] = $p[2];
        }
        return $handlers[$m[1]]($attrs);
    }, $content);
}

function slugify(string $title): string
{
    $title = preg_replace_callback('/[A-Z]/', fn ($m) => strtolower($m[0]), $title);
    return trim(preg_replace('/[^a-z0-9]+/', '-', $title), '-');
}

echo render_placeholders('<h1>Hello {{ name }}</h1>', ['name' => $_GET['name'] ?? 'guest']);
echo expand_shortcodes('&copy; [year] Example — [button url="/signup" label="Join"]');
echo slugify('Hello World From PHP');
