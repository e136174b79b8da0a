"""Publishing: the typed Hugging Face dataset, its card, the quality gate, upload and download."""
