<?php $__env->startSection('title', __('Dashboard')); ?>
<?php /* clean test file: a compiled Blade-like view cache (storage/framework/views/<sha1>.php): many small PHP blocks mixed with HTML */ ?>
<?php $__env->startSection('content'); ?>
<div class="container">
    <h1><?php echo e(__('Welcome back, :name', ['name' => $user->name])); ?></h1>
    <?php if(session('status')): ?>
        <div class="alert alert-success" role="alert"><?php echo e(session('status')); ?></div>
    <?php endif; ?>
    <table class="table">
        <thead><tr><th><?php echo e(__('Title')); ?></th><th><?php echo e(__('Updated')); ?></th><th></th></tr></thead>
        <tbody>
        <?php $__empty_1 = true; $__currentLoopData = $posts; $__env->addLoop($__currentLoopData); foreach($__currentLoopData as $post): $__env->incrementLoopIndices(); $loop = $__env->getLastLoop(); $__empty_1 = false; ?>
            <tr class="<?php echo e($loop->even ? 'even' : 'odd'); ?>">
                <td><a href="<?php echo e(route('posts.edit', $post)); ?>"><?php echo e($post->title); ?></a></td>
                <td><?php echo e($post->updated_at->diffForHumans()); ?></td>
                <td>
                    <form method="POST" action="<?php echo e(route('posts.destroy', $post)); ?>">
                        <?php echo csrf_field(); ?>
                        <?php echo method_field('DELETE'); ?>
                        <button type="submit" class="btn btn-link"><?php echo e(__('Delete')); ?></button>
                    </form>
                </td>
            </tr>
        <?php endforeach; $__env->popLoop(); $loop = $__env->getLastLoop(); if ($__empty_1): ?>
            <tr><td colspan="3"><?php echo e(__('No posts yet.')); ?></td></tr>
        <?php endif; ?>
        </tbody>
    </table>
    <?php echo $posts->links(); ?>

</div>
<?php $__env->stopSection(); ?>

<?php echo $__env->make('layouts.app', \Illuminate\Support\Arr::except(get_defined_vars(), ['__data', '__path']))->render(); ?>
<?php /**PATH /var/www/example/resources/views/dashboard.blade.php ENDPATH**/ ?>
