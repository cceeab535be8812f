<?php
/* Smarty version 4.3.1, created on 2024-05-14 09:12:44
  from '/var/www/shop/themes/default/templates/product.tpl' */

/* clean test file: Smarty-like compiled template; dynamic-looking function
   names (content_<uniqid>) and $_smarty_tpl lookups, no request data sinks. */

/* @var Smarty_Internal_Template $_smarty_tpl */
if ($_smarty_tpl->_decodeProperties($_smarty_tpl, array (
  'version' => '4.3.1',
  'unifunc' => 'content_66432d1c8f2a13_40517283',
  'has_nocache_code' => false,
  'file_dependency' => 
  array (
    '5b1f0c7e2d9a8b6c4e3f1a0d9c8b7a6e5d4c3b2a' => 
    array (
      0 => '/var/www/shop/themes/default/templates/product.tpl',
      1 => 1715677900,
      2 => 'file',
    ),
  ),
  'includes' => 
  array (
    'file:header.tpl' => 1,
  ),
),false)) {
function content_66432d1c8f2a13_40517283 (Smarty_Internal_Template $_smarty_tpl) {
$_smarty_tpl->_checkPlugins(array(0=>array('file'=>'/var/www/shop/vendor/smarty/smarty/libs/plugins/modifier.escape.php','function'=>'smarty_modifier_escape',),));
$_smarty_tpl->_subTemplateRender("file:header.tpl", $_smarty_tpl->cache_id, $_smarty_tpl->compile_id, 0, $_smarty_cache_lifetime, array(), 0, false);
?>
<div class="product">
  <h1><?php echo smarty_modifier_escape($_smarty_tpl->tpl_vars['product']->value['name'],'html');?>
</h1>
  <p class="price"><?php echo sprintf('%.2f',$_smarty_tpl->tpl_vars['product']->value['price']);?>
 <?php echo smarty_modifier_escape($_smarty_tpl->tpl_vars['currency']->value,'html');?>
</p>
  <?php
$_from = $_smarty_tpl->smarty->ext->_foreach->init($_smarty_tpl, $_smarty_tpl->tpl_vars['product']->value['images'], 'img');
$_smarty_tpl->tpl_vars['img']->do_else = true;
if ($_from !== null) foreach ($_from as $_smarty_tpl->tpl_vars['img']->value) {
$_smarty_tpl->tpl_vars['img']->do_else = false;
?>
    <img src="<?php echo smarty_modifier_escape($_smarty_tpl->tpl_vars['img']->value,'url');?>
" alt="">
  <?php
}
$_smarty_tpl->smarty->ext->_foreach->restore($_smarty_tpl, 1);?>
</div>
<?php }
}
