"""The floor every stage stands on: errors, atomic files, corpus and records I/O, and the build folder's layout."""
