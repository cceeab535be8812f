//! Quarantine with undo: move a file out of the document root with its metadata, restore it byte for byte.
