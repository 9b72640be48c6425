"""Optional generated answers over an OpenAI-compatible model, kept only where verified against their citations."""
