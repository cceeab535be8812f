<?php
/*
 * Runs the firewall agent's PCRE twin of the native engine on requests or
 * values read as JSON lines, for tests/waf_parity.rs: one JSON answer per line.
 *
 *   php waf-twin.php AGENT_FILE inspect|transform|changes INPUT_JSONL
 *
 * inspect:   {"method", "uri", "headers", "body", …} -> {"blocked", "score", "class", "rules", "truncated"}
 * transform: {"transform", "value"}                  -> {"value"}
 * changes:   {"value"}                               -> {"changes": mask, "bits": {transformation: bit}}
 * Binary strings travel as {"base64": "…"} both ways.
 */
declare(strict_types=1);

[$script, $agent, $mode, $input] = $argv + [null, null, null, null];
if (!is_string($agent) || !is_string($mode) || !is_string($input)) {
    fwrite(STDERR, "usage: php waf-twin.php AGENT_FILE inspect|transform|changes INPUT_JSONL\n");
    exit(2);
}
require $agent; // defines the agent's functions; its run() does nothing on the CLI

function unwire($v)
{
    if (is_array($v)) {
        if (count($v) === 1 && isset($v['base64']) && is_string($v['base64'])) {
            return base64_decode($v['base64'], true);
        }
        return array_map('unwire', $v);
    }
    return $v;
}

function wire($s)
{
    return preg_match('//u', $s) ? $s : ['base64' => base64_encode($s)];
}

$in = fopen($input, 'r');
while (($line = fgets($in)) !== false) {
    $item = unwire(json_decode($line, true, 512, JSON_THROW_ON_ERROR));
    if ($mode === 'inspect') {
        $v = \WebTotem\FirewallAgent\inspect($item);
        $out = ['blocked' => $v['blocked'], 'score' => $v['score'], 'class' => $v['class'], 'rules' => $v['rules'], 'truncated' => $v['truncated']];
    } elseif ($mode === 'changes') {
        $out = ['changes' => \WebTotem\FirewallAgent\changes($item['value']), 'bits' => \WebTotem\FirewallAgent\Config::CHANGE_BITS];
    } else {
        $out = ['value' => wire(\WebTotem\FirewallAgent\transform($item['transform'], $item['value']))];
    }
    echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR), "\n";
}
