//! Per-site baseline manifests and file-change detection (added, modified, deleted).
