<?php
// The UI entry point of the extension: Plesk routes /modules/webtotem-security/ here.
(new pm_Application)->run();
