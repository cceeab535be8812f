<?php
/**
 * The base configuration for WordPress
 *
 * clean test file: wp-config.php-style file full of high-entropy strings
 * (salts with punctuation, API keys). High entropy here is data, not an
 * encoded payload.
 *
 * @package WordPress
 */

// ** Database settings - You can get this info from your web host ** //
define( 'DB_NAME', 'example_wp' );
define( 'DB_USER', 'example_wp_user' );
define( 'DB_PASSWORD', 'x7#Pq!9zL2@vR4m' );
define( 'DB_HOST', 'localhost' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );

/**#@+
 * Authentication unique keys and salts.
 *
 * Change these to different unique phrases! You can generate these using
 * the WordPress.org secret-key service.
 */
define( 'AUTH_KEY',          'ZWz]wDFrlGX^;/&l<!z1}[BVX;Bt7=w-Rk|^.l8OZfI)a2AU&k7%z{7gTqB|u4]w' );
define( 'SECURE_AUTH_KEY',   '#=weocv8;1k2>lsN<aWQr%Zzh~B4G*ZqT:8hq|]t{0pmpsLww0sA)O@DGpUx.j#K' );
define( 'LOGGED_IN_KEY',     'b gRBWZRZX1V&lxeVZ4DN+C+Nn:OB|.|FXL4k41Gi#L;P9&qG3L0=}uKW..{<,|4' );
define( 'NONCE_KEY',         'yWRzSa,T:Ly,,v~H=1?D0S=Zao#&za%N.v$4AH17)^><>{KzcnNj eh1MV)>?[_L' );
define( 'AUTH_SALT',         'ymYZwH6Qqq5:/X1)|wUGAJ7_/Wx9_>8,vj&E6%boQ@jQ+a-;&J~b O0Hvr[gYegR' );
define( 'SECURE_AUTH_SALT',  '$D)Lu4h/1Dyo!vIJ=Uj)z)w/T+&k.oqrt*le$`WvT|D}{}uRgR>3yNwos@`%bDW;' );
define( 'LOGGED_IN_SALT',    'mE-4{kuv4VGO[f YcMuqbK)LLp@2jfTu{;OQ=PeWI}D(t:.cKZ1$|Dw^0gBE`Hu-' );
define( 'NONCE_SALT',        'm3a-dzqx>MhGx 3ta`e#Y5jv[DR3q9}lV#uD_!A|m3}zwr8Fw;Gv+%.#*jEE^D;?' );
/**#@-*/

define( 'WP_CACHE_KEY_SALT', 'example.com:' );
define( 'STRIPE_SECRET_KEY', 'sk_test_AzHJepquXKvFmgYOb8cBdum7' );
define( 'RECAPTCHA_SITE_KEY', '6Lc_example_dQslr57QqaKHsmUx' );

$table_prefix = 'wp_';

define( 'WP_DEBUG', false );
define( 'DISALLOW_FILE_EDIT', true );
define( 'FORCE_SSL_ADMIN', true );

/* That's all, stop editing! Happy publishing. */

/** Absolute path to the WordPress directory. */
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}

/** Sets up WordPress vars and included files. */
require_once ABSPATH . 'wp-settings.php';
