<?php
/**
 * clean test file — BORDERLINE, expected severity low/info at most.
 *
 * A minimal template engine that compiles "{{ var }}" templates to PHP and
 * runs the compiled code with eval('?>' . $compiled). This is honest because:
 *   - the template source is read only from the application's own
 *     templates directory (name checked against a strict pattern, realpath
 *     confined to that directory);
 *   - the compiler escapes every variable and only emits a fixed set of PHP
 *     constructs; raw PHP in templates is stripped;
 *   - the compiled code is cached under the app's own cache path and
 *     verified with an HMAC before it is evaluated;
 *   - no request data ever reaches eval() — request values are only passed
 *     as template *variables*, which are escaped at output.
 * Real engines (older Smarty/Twig string loaders, Mustache PHP) do the same.
 */

final class TinyTemplate
{
    public function __construct(
        private string $templateDir,
        private string $cacheDir,
        private string $hmacKey
    ) {
    }

    private function compile(string $source): string
    {
        $source = preg_replace('/<\?(?:php|=)?.*?\?>/s', '', $source);   // no raw PHP in templates
        $source = preg_replace('/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/', '<?= htmlspecialchars((string) ($vars[\'$1\'] ?? \'\'), ENT_QUOTES, \'UTF-8\') ?>', $source);
        $source = preg_replace('/\{%\s*foreach\s+([a-zA-Z_]\w*)\s+as\s+([a-zA-Z_]\w*)\s*%\}/', '<?php foreach (($vars[\'$1\'] ?? []) as $vars[\'$2\']): ?>', $source);
        return str_replace('{% endforeach %}', '<?php endforeach; ?>', $source);
    }

    private function compiledPath(string $name): string
    {
        if (!preg_match('/^[a-z0-9_\/]+$/', $name)) {
            throw new InvalidArgumentException('bad template name');
        }
        $src = realpath($this->templateDir . '/' . $name . '.tpl');
        if ($src === false || !str_starts_with($src, realpath($this->templateDir) . '/')) {
            throw new RuntimeException('template not found');
        }
        $cache = $this->cacheDir . '/' . sha1($src) . '.php';
        if (!is_file($cache) || filemtime($cache) < filemtime($src)) {
            $code = $this->compile((string) file_get_contents($src));
            file_put_contents($cache, hash_hmac('sha256', $code, $this->hmacKey) . "\n" . $code, LOCK_EX);
        }
        return $cache;
    }

    public function render(string $name, array $vars): string
    {
        [$mac, $compiled] = explode("\n", (string) file_get_contents($this->compiledPath($name)), 2);
        if (!hash_equals(hash_hmac('sha256', $compiled, $this->hmacKey), $mac)) {
            throw new RuntimeException('compiled template failed integrity check');
        }
        ob_start();
        eval('?>' . $compiled);
        return (string) ob_get_clean();
    }
}

$tpl = new TinyTemplate(__DIR__ . '/templates', __DIR__ . '/var/cache', getenv('TEMPLATE_HMAC_KEY') ?: 'dev-only-key');
echo $tpl->render('home', ['title' => $_GET['q'] ?? 'Welcome']);
