<?php
/**
 * clean test file: a WordPress-like action/filter registry. It calls
 * call_user_func_array() on callbacks that *code* registered with
 * add_action()/add_filter(); nothing comes from the request.
 */

final class HookRegistry
{
    /** @var array<string, array<int, array<int, array{callback: callable, args: int}>>> */
    private array $callbacks = [];

    public function add(string $hook, callable $callback, int $priority = 10, int $acceptedArgs = 1): void
    {
        $this->callbacks[$hook][$priority][] = ['callback' => $callback, 'args' => $acceptedArgs];
        ksort($this->callbacks[$hook]);
    }

    public function remove(string $hook, callable $callback, int $priority = 10): bool
    {
        foreach ($this->callbacks[$hook][$priority] ?? [] as $i => $entry) {
            if ($entry['callback'] === $callback) {
                unset($this->callbacks[$hook][$priority][$i]);
                return true;
            }
        }
        return false;
    }

    public function doAction(string $hook, mixed ...$args): void
    {
        foreach ($this->callbacks[$hook] ?? [] as $entries) {
            foreach ($entries as $entry) {
                call_user_func_array($entry['callback'], array_slice($args, 0, $entry['args']));
            }
        }
    }

    public function applyFilters(string $hook, mixed $value, mixed ...$args): mixed
    {
        foreach ($this->callbacks[$hook] ?? [] as $entries) {
            foreach ($entries as $entry) {
                $value = call_user_func_array($entry['callback'], array_slice(array_merge([$value], $args), 0, $entry['args']));
            }
        }
        return $value;
    }
}

$hooks = new HookRegistry();

function add_action(string $hook, callable $cb, int $priority = 10, int $args = 1): void
{
    global $hooks;
    $hooks->add($hook, $cb, $priority, $args);
}

function do_action(string $hook, mixed ...$args): void
{
    global $hooks;
    $hooks->doAction($hook, ...$args);
}

add_action('init', function (): void {
    header('X-Frame-Options: SAMEORIGIN');
});
add_action('wp_footer', 'example_footer_credit');

function example_footer_credit(): void
{
    echo '<p class="credit">Built with <a href="https://wordpress.org/">WordPress</a></p>';
}
