"""The LLM extraction pass: instructor over any OpenAI-compatible server, grounded, cached and resumable."""
